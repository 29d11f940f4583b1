import LeanPulseCore

/// Reads the organisation file's records (`team_id,parent_id,name,headcount`) into units.
/// Unlike export records, a bad line here stops the run: every metric depends on the tree.
public enum OrganizationReader {
    public static func units(header: RecordHeader, records: some Sequence<SourceRecord>, file: String) throws(Diagnostic) -> [OrgUnit] {
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
        for record in records {
            guard let id = record.text(idColumn) else {
                throw Diagnostic(.error, "a team without team_id", at: record.location(ofField: idColumn))
            }
            var headcount: Int?
            if let headcountColumn, let text = record.text(headcountColumn) {
                guard let n = Int(text), n >= 0 else {
                    throw Diagnostic(.error, "team '\(id)': headcount '\(text)' is not a whole number", at: record.location(ofField: headcountColumn))
                }
                headcount = n
            }
            units.append(OrgUnit(id: id, parentId: record.text(parentColumn), name: record.text(nameColumn) ?? id, headcount: headcount))
        }
        guard !units.isEmpty else {
            throw Diagnostic(.error, "the organisation file lists no team", at: SourceLocation(file: file))
        }
        return units
    }
}
