import GRDB
import LeanPulseCore

/// What loading a period found that the report should mention.
public struct DatasetLoadNotes: Sendable {
    /// Stored rows whose team is not in the current organisation (skipped), by table.
    public var unresolvedResponses = 0
    public var unresolvedIdeas = 0
    public var unresolvedGoals = 0
    /// Stored items that are no longer in the instrument (their answers are not used).
    public var droppedItems: Set<String> = []
}

extension LeanPulseStore {
    /// Loads one period's responses and goals, and all ideas, of the given sources, onto `organization`'s units
    /// and `instrument`'s item order.
    public func loadDataset(period: Period, organization: Organization, instrument: Instrument,
                            sourceIds: [String]) throws(StoreError) -> (PeriodDataset, DatasetLoadNotes) {
        try read { db in
            var notes = DatasetLoadNotes()
            let marks = Array(repeating: "?", count: max(sourceIds.count, 1)).joined(separator: ",")
            let sources = StatementArguments(sourceIds.isEmpty ? [""] : sourceIds)

            // Item positions of each import mapped onto the current instrument.
            var positionMap: [Int64: [Int]] = [:]
            let itemRows = try Row.fetchAll(db, sql: """
                SELECT ii.import_id, ii.position, ii.item_id FROM import_items ii
                WHERE ii.import_id IN (SELECT DISTINCT import_id FROM responses WHERE period = ? AND source_id IN (\(marks)))
                ORDER BY ii.import_id, ii.position
                """, arguments: [period.description] + sources)
            for row in itemRows {
                let importId: Int64 = row[0]
                let itemId: String = row[2]
                let index = instrument.itemIndex(itemId) ?? -1
                if index < 0 { notes.droppedItems.insert(itemId) }
                positionMap[importId, default: []].append(index)
            }

            var responses = ResponseTable(itemCount: instrument.items.count)
            var row = [Int16?](repeating: nil, count: instrument.items.count)
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT import_id, team_id, answers, comment FROM responses WHERE period = ? AND source_id IN (\(marks)) ORDER BY id
                """, arguments: [period.description] + sources)
            while let r = try cursor.next() {
                guard let unit = organization.index(of: r[1]) else { notes.unresolvedResponses += 1; continue }
                let map = positionMap[r[0]] ?? []
                for i in row.indices { row[i] = nil }
                let text: String = r[2]
                Self.decodeAnswers(text) { position, value in
                    if position < map.count, map[position] >= 0 { row[map[position]] = value }
                }
                responses.append(unit: Int32(unit), answers: row, comment: r[3])
            }

            var ideas = IdeaTable()
            var submitters: [String: Int32] = [:]
            let ideaCursor = try Row.fetchCursor(db, sql: """
                SELECT team_id, submitted_day, implemented_day, rejected_day, submitter_key FROM ideas WHERE source_id IN (\(marks))
                """, arguments: sources)
            while let r = try ideaCursor.next() {
                guard let unit = organization.index(of: r[0]) else { notes.unresolvedIdeas += 1; continue }
                var submitter: Int32 = -1
                if let key: String = r[4] {
                    if let known = submitters[key] { submitter = known } else {
                        submitter = Int32(submitters.count)
                        submitters[key] = submitter
                    }
                }
                let implemented: Int32? = r[2]
                let rejected: Int32? = r[3]
                ideas.append(unit: Int32(unit), submitted: Day(ordinal: r[1]), implemented: implemented.map(Day.init(ordinal:)),
                             rejected: rejected.map(Day.init(ordinal:)), submitter: submitter)
            }

            var goals: [GoalRow] = []
            for r in try Row.fetchAll(db, sql: """
                SELECT team_id, target, actual, score FROM goals WHERE period = ? AND source_id IN (\(marks))
                """, arguments: [period.description] + sources) {
                guard let unit = organization.index(of: r[0]) else { notes.unresolvedGoals += 1; continue }
                let goal = Goal(id: nil, teamId: r[0], period: period, target: r[1], actual: r[2], score: r[3])
                if let attainment = goal.attainment { goals.append(GoalRow(unit: Int32(unit), attainment: attainment)) }
            }
            let dataset = PeriodDataset(period: period, organization: organization, instrument: instrument,
                                        responses: responses, ideas: ideas, goals: goals)
            return (dataset, notes)
        }
    }

    /// Walks `[4,null,5]` without a JSON library: the store writes this exact form.
    static func decodeAnswers(_ text: String, _ body: (Int, Int16?) -> Void) {
        var position = 0, value = 0, negative = false, digits = 0, isNull = false
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value * 10 + Int(b - 48)
                digits += 1
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "n"): isNull = true
            case UInt8(ascii: ","), UInt8(ascii: "]"):
                if digits > 0 || isNull {
                    body(position, isNull ? nil : Int16(clamping: negative ? -value : value))
                }
                position += 1
                value = 0; negative = false; digits = 0; isNull = false
            default: break
            }
        }
    }
}
