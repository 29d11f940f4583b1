import LeanPulseCore

/// Reads the organisation file's records (`team_id,parent_id,name,headcount`) into units.
/// Unlike export records, a bad line here stops the run: every metric depends on the tree.
public enum OrganizationReader {
    /// The largest headcount a unit may state.
    public static let largestHeadcount = 10_000_000

    public static func units(header: RecordHeader, records: some Sequence<SourceRecord>, file: String) throws(Diagnostic) -> [OrgUnit] {
        try read(header: header, records: records, file: file).units
    }

    /// The units, and what is worth saying about a tree that is valid but perhaps not what was meant: several top-level
    /// teams (a warning at the second one: the report then has no organisation-wide row, and the index page lists each).
    public static func read(header: RecordHeader, records: some Sequence<SourceRecord>, file: String) throws(Diagnostic)
    -> (units: [OrgUnit], findings: [DataQualityFinding]) {
        func column(_ name: String) throws(Diagnostic) -> Int {
            guard let i = header.names.firstIndex(where: { Scale.key($0) == name }) else {
                throw Diagnostic(.error, "the organisation file needs a '\(name)' column (it has: \(header.names.joined(separator: ", ")))",
                                 at: SourceLocation(file: file, line: 1, column: 1))
            }
            return i
        }
        let idColumn = try column("team_id")
        let parentColumn = try column("parent_id")
        let nameColumn = header.names.firstIndex { Scale.key($0) == "name" }
        let headcountColumn = header.names.firstIndex { Scale.key($0) == "headcount" }
        var units: [OrgUnit] = []
        var idLocations: [SourceLocation] = [], parentLocations: [SourceLocation?] = []
        for record in records {
            guard let id = record.text(idColumn) else {
                throw Diagnostic(.error, "a team without team_id", at: record.location(ofField: idColumn))
            }
            var headcount: Int?
            if let headcountColumn, let text = record.text(headcountColumn) {
                guard let n = Int(text), n >= 0 else {
                    throw Diagnostic(.error, "team '\(id)': headcount '\(text)' is not a whole number", at: record.location(ofField: headcountColumn))
                }
                // A unit's own members; the largest employers have about 2 million people in all. Sums over a million
                // units stay far inside Int (an overflowing headcount trapped the run in session 17's audit).
                guard n <= Self.largestHeadcount else {
                    throw Diagnostic(.error, "team '\(id)': headcount \(text) is more than \(Self.largestHeadcount) (a unit's own members)",
                                     at: record.location(ofField: headcountColumn))
                }
                headcount = n
            }
            units.append(OrgUnit(id: id, parentId: record.text(parentColumn), name: record.text(nameColumn) ?? id, headcount: headcount))
            idLocations.append(record.location(ofField: idColumn))
            parentLocations.append(record.text(parentColumn) == nil ? nil : record.location(ofField: parentColumn))
        }
        guard !units.isEmpty else {
            throw Diagnostic(.error, "the organisation file lists no team", at: SourceLocation(file: file))
        }
        try checkTree(units, idLocations: idLocations, parentLocations: parentLocations)
        var findings: [DataQualityFinding] = []
        // Headcount and name are optional, but a file without them is usually one whose column is named otherwise
        // (`head_count`, `Team name`): every response rate and rate per person would be blank without a word.
        for (name, column, effect) in [("headcount", headcountColumn, "response rates and ideas per person-year are not defined"),
                                       ("name", nameColumn, "units are shown by their team_id")] where column == nil {
            findings.append(DataQualityFinding(
                source: "organization", location: SourceLocation(file: file, line: 1, column: 1), severity: .warning,
                code: "missing-column",
                message: "the organisation file has no '\(name)' column (it has: \(header.names.joined(separator: ", "))): \(effect)"))
        }
        let tops = units.indices.filter { units[$0].parentId?.isEmpty ?? true }
        if tops.count > 1 {
            let named = tops.prefix(5).map { "'\(units[$0].id)' (line \(idLocations[$0].line))" }.joined(separator: ", ")
            findings.append(DataQualityFinding(
                source: "organization", location: idLocations[tops[1]], severity: .warning, code: "several-top-level-teams",
                message: "the organisation file has \(tops.count) teams without a parent: \(named)\(tops.count > 5 ? ", ..." : ""); "
                    + "each is reported as its own organisation and no figure covers them all (give them a common parent for one)"))
        }
        return (units, findings)
    }

    /// The tree's faults at their lines (`Organization` finds them too, without a line): a team listed twice (at the second
    /// one's id), a parent that is not in the file (at the parent field), a cycle (at the parent field of the cycle's team
    /// that comes first in the file).
    static func checkTree(_ units: [OrgUnit], idLocations: [SourceLocation], parentLocations: [SourceLocation?]) throws(Diagnostic) {
        var index: [String: Int] = [:]
        for (i, unit) in units.enumerated() {
            if let first = index[unit.id] {
                throw Diagnostic(.error, "team '\(unit.id)' is listed twice (first at line \(idLocations[first].line))", at: idLocations[i])
            }
            index[unit.id] = i
        }
        var parent = [Int?](repeating: nil, count: units.count)
        for (i, unit) in units.enumerated() {
            guard let id = unit.parentId, !id.isEmpty else { continue }
            guard let p = index[id] else {
                throw Diagnostic(.error, "team '\(unit.id)' names parent '\(id)', which is not in the organisation file",
                                 at: parentLocations[i] ?? idLocations[i])
            }
            parent[i] = p
        }
        // Walk up from each unit; a walk that meets a unit of its own walk has found a cycle. `state`: 0 not seen, 1 on the
        // current walk, 2 known to reach a root.
        var state = [UInt8](repeating: 0, count: units.count)
        for start in units.indices where state[start] == 0 {
            var walk: [Int] = []
            var cursor: Int? = start
            while let c = cursor, state[c] == 0 {
                state[c] = 1
                walk.append(c)
                cursor = parent[c]
            }
            if let c = cursor, state[c] == 1 {
                let cycle = walk[walk.firstIndex(of: c)!...]
                let first = cycle.min()!
                let names = cycle.map { "'\(units[$0].id)'" }.joined(separator: " -> ")
                throw Diagnostic(.error, "the organisation file has a cycle: \(names) -> '\(units[c].id)' (every team must lead up to a top-level team)",
                                 at: parentLocations[first] ?? idLocations[first])
            }
            for u in walk { state[u] = 2 }
        }
    }
}
