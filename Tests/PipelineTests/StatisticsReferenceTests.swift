import Foundation
import Testing

/// The sample's statistics exports against the independent computation
/// (Reference/reference_statistics.py, output committed with full precision): every number, rounded to the
/// CSV's 6 decimals, to 1e-9; labels, flags and counts exactly; the same rows (keyed, order free).
@Suite(.serialized)
struct StatisticsReferenceTests {
    static let period = "2026-Q3"

    /// RFC 4180 records (a field may hold a quoted comma or quote).
    static func records(_ text: String) -> [[String]] {
        var records: [[String]] = [], field = "", record: [String] = [], quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" { if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false } } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { record.append(field); field = "" }
            else if c == "\n" { record.append(field); records.append(record); record = []; field = "" }
            else { field.append(c) }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }

    /// Differences between `actual` (our CSV) and `expected` (the reference), keyed by `key` columns.
    static func differences(_ actual: String, _ expected: String, key: [String]) -> [String] {
        let a = records(actual), e = records(expected)
        guard let ah = a.first, let eh = e.first else { return ["empty file"] }
        if ah != eh { return ["header \(ah) != \(eh)"] }
        func keyed(_ rows: ArraySlice<[String]>) -> [String: [String]] {
            var out: [String: [String]] = [:]
            for r in rows {
                let k = key.map { r[ah.firstIndex(of: $0)!] }.joined(separator: "|")
                out[k] = r
            }
            return out
        }
        let ours = keyed(a.dropFirst()), theirs = keyed(e.dropFirst())
        var diffs: [String] = []
        if a.count != e.count { diffs.append("rows: \(a.count - 1) != \(e.count - 1)") }
        for k in Set(ours.keys).symmetricDifference(theirs.keys).sorted() { diffs.append("row only on one side: \(k)") }
        for (k, exp) in theirs.sorted(by: { $0.key < $1.key }) {
            guard let got = ours[k] else { continue }
            for (c, name) in eh.enumerated() where !equal(got[c], exp[c]) {
                diffs.append("\(k) \(name): \(got[c]) != \(exp[c])")
            }
        }
        return diffs
    }

    /// A number agrees when it equals the reference rounded to 6 decimals within 1e-9; anything else exactly.
    static func equal(_ ours: String, _ reference: String) -> Bool {
        guard let r = Double(reference), !reference.contains("-Q"), let o = Double(ours) else { return ours == reference }
        let rounded = Double(String(format: "%.6f", r))!
        return abs(o - rounded) <= 1e-9
    }

    @Test func theSampleStatisticsMatchTheIndependentComputation() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        let files: [(String, [String])] = [
            ("factor_scores", ["team_id", "factor_id"]),
            ("trends", ["period", "team_id"]),
            ("correlations", ["x", "y", "scope"]),
            ("drivers", ["team_id", "item_id"]),
            ("agreement", ["team_id", "factor_id"]),
            ("reliability", ["factor_id", "statistic"]),
        ]
        for (name, key) in files {
            let expected = try Reference.expected(name, Self.period)
            let diffs = Self.differences(try ws.read(name + ".csv"), expected, key: key)
            #expect(diffs.isEmpty, "\(name).csv: \(diffs.count) differences, first: \(diffs.prefix(8))")
        }
        // The sample turns relative weights on: every driver row of a group with enough complete cases has one.
        let drivers = Self.records(try ws.read("drivers.csv"))
        #expect(drivers.count > 1 && drivers.dropFirst().allSatisfy { !$0[8].isEmpty })
    }

    /// The same figures on the organisation page: each factor's interval and change in the heatmap's data table,
    /// relative weights in the driver table, alpha and the ICCs in the reliability table.
    @Test func theOrganisationPageShowsIntervalsChangesWeightsAndReliability() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        let html = try ws.read("index.html")
        let factors = Self.records(try ws.read("factor_scores.csv"))
        let h = factors[0]
        for row in factors.dropFirst() where row[h.firstIndex(of: "team_id")!] == "corp" {
            let low = Double(row[h.firstIndex(of: "favorable_low")!])!, high = Double(row[h.firstIndex(of: "favorable_high")!])!
            let interval = "[\(Int(low.rounded()))\u{2013}\(Int(high.rounded()))]"
            #expect(html.contains(interval), "\(row[2]): \(interval)")
            let change = row[h.firstIndex(of: "change")!]
            if !change.isEmpty { #expect(html.contains(", " + change + "</td>") || html.contains(", " + change + ", low agreement")) }
        }
        #expect(html.contains("<th scope=\"col\" class=\"n\">Relative weight</th>"))
        #expect(html.contains("Cronbach&rsquo;s alpha"))
        let reliability = Self.records(try ws.read("reliability.csv"))
        let alpha = reliability.first { $0.count > 4 && $0[1] == "engagement" && $0[3] == "cronbach_alpha" }!
        #expect(html.contains(String(format: "%.2f", Double(alpha[4])!) + (alpha[6] == "low" ? " (low)" : "")))
        #expect(!html.contains("<script"))
    }

    /// Every question of the organisation (the root unit) on index.html with its Wilson interval, as in item_scores.csv
    /// (itself equal to the independent computation byte for byte); nothing for a suppressed unit's page.
    @Test func pagesShowEveryItemWithItsWilsonInterval() throws {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        #expect(ws.run() == .published)
        let html = try ws.read("index.html")
        let items = Self.records(try ws.read("item_scores.csv"))
        let units = Self.records(try ws.read("team_metrics.csv"))
        let parent = units[0].firstIndex(of: "parent_id")!
        let root = try #require(units.dropFirst().first { $0[parent].isEmpty })[1]
        var checked = 0
        for row in items.dropFirst() where row[1] == root {
            let whole = { (text: String) in String(Int(Double(text)!.rounded())) }
            let cells = "<td><code>\(row[3])</code></td>"
            let numbers = "<td class=\"n\">\(row[4])</td><td class=\"n\">\(whole(row[5]))</td><td class=\"n\">\(whole(row[6]))\u{2013}\(whole(row[7]))</td></tr>"
            #expect(html.contains(cells), "\(row[3]) missing")
            #expect(html.contains(numbers), "\(row[3]): \(numbers)")
            checked += 1
        }
        #expect(checked >= 20)
        let suppressed = Self.records(try ws.read("suppression_log.csv")).dropFirst().map { $0[1] }
        for team in suppressed {
            let page = try ws.read("teams/" + team + ".html")
            #expect(!page.contains("Every question: % favourable"), "\(team) is suppressed")
        }
    }

    @Test func theComparisonCatchesADifference() {
        let e = "period,team_id,x\n2026-Q3,a,1.0000004\n"
        #expect(Self.differences("period,team_id,x\n2026-Q3,a,1.000000\n", e, key: ["team_id"]).isEmpty)
        #expect(!Self.differences("period,team_id,x\n2026-Q3,a,1.000001\n", e, key: ["team_id"]).isEmpty)
        #expect(!Self.differences("period,team_id,x\n2026-Q3,b,1.000000\n", e, key: ["team_id"]).isEmpty)
        #expect(!Self.differences("period,team_id,x\n2026-Q3,a,\n", e, key: ["team_id"]).isEmpty)
    }
}
