import Foundation
import LeanPulseCore

/// Loads the hand-made fixtures (Fixtures/*.csv, *.json) into a `PeriodDataset`, standing in for
/// Normalize and Store. The same files feed Fixtures/reference_metrics.py.
enum Fixture {
    static var directory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// A header-keyed CSV without quoting (the fixtures need none).
    static func csv(_ name: String) throws -> [[String: String]] {
        let lines = try text(name).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
        return lines.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var row: [String: String] = [:]
            for (k, name) in header.enumerated() { row[name] = k < cells.count ? cells[k] : "" }
            return row
        }
    }

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    struct Loaded {
        var dataset: PeriodDataset
        var settings: MetricSettings
    }

    static func load() throws -> Loaded {
        let settingsJSON = try json("settings.json")
        let period = Period(settingsJSON["period"] as! String)!
        let settings = MetricSettings(
            minRespondents: settingsJSON["min_respondents"] as! Int,
            strengthThreshold: (settingsJSON["strength_threshold"] as! NSNumber).doubleValue,
            cycleTimeInclusive: settingsJSON["cycle_time_inclusive"] as! Bool)

        let org = try Organization(units: csv("org.csv").map {
            OrgUnit(id: $0["team_id"]!, parentId: $0["parent_id"]!.isEmpty ? nil : $0["parent_id"],
                    name: $0["name"]!, headcount: Int($0["headcount"]!))
        })

        let instrumentJSON = try json("instrument.json")
        var scales: [String: Scale] = [:]
        for s in instrumentJSON["scales"] as! [[String: Any]] {
            let id = s["id"] as! String
            scales[id] = Scale(id: id, min: s["min"] as! Int, max: s["max"] as! Int)
        }
        let items = (instrumentJSON["items"] as! [[String: Any]]).map {
            Item(id: $0["id"] as! String, text: $0["id"] as! String, scale: scales[$0["scale"] as! String]!,
                 reverse: $0["reverse"] as! Bool)
        }
        let factors = (instrumentJSON["factors"] as! [[String: Any]]).map { f in
            Factor(id: f["id"] as! String, name: f["id"] as! String,
                   itemIndexes: (f["items"] as! [String]).map { id in items.firstIndex { $0.id == id }! },
                   role: (f["role"] as? String).flatMap(FactorRole.init(rawValue:)))
        }
        let instrument = Instrument(id: "fixture", version: "1", items: items, factors: factors)

        var responses = ResponseTable(itemCount: items.count)
        for row in try csv("responses.csv") {
            // Raw answers, out-of-range ones included: Compute must treat those as not answered.
            responses.append(unit: Int32(org.index(of: row["team"]!)!),
                             answers: items.map { row[$0.id].flatMap { Int16($0) } }, comment: nil)
        }

        var ideas = IdeaTable()
        for row in try csv("ideas.csv") {
            ideas.append(unit: Int32(org.index(of: row["team"]!)!), submitted: Day(iso: row["submitted"]!)!,
                         implemented: Day(iso: row["implemented"]!), rejected: Day(iso: row["rejected"]!),
                         submitter: Int32(row["submitter"]!) ?? -1)
        }

        let goals = try csv("goals.csv").map { row -> GoalRow in
            // What Normalize does for goals: the score when given, else min(actual / target, 1).
            let attainment = Double(row["score"]!) ?? min(Double(row["actual"]!)! / Double(row["target"]!)!, 1)
            return GoalRow(unit: Int32(org.index(of: row["team"]!)!), attainment: attainment)
        }

        let dataset = PeriodDataset(period: period, organization: org, instrument: instrument,
                                    responses: responses, ideas: ideas, goals: goals)
        return Loaded(dataset: dataset, settings: settings)
    }
}
