import LeanPulseCore
import PostgresNIO

extension PostgresStore {
    /// Loads one period's responses and goals, and all ideas, of the given sources onto `organization`'s units and
    /// `instrument`'s item order: the rows and rules of `LeanPulseStore.loadDataset`, in the same order (row ids).
    public func loadDataset(period: Period, organization: Organization, instrument: Instrument,
                            sourceIds: [String]) throws(StoreError) -> (PeriodDataset, DatasetLoadNotes) {
        try read {
            var notes = DatasetLoadNotes()
            let periodText = period.description

            // Item positions of each import of the sources mapped onto the current instrument.
            var positionMap: [Int64: [Int]] = [:]
            var droppedByImport: [Int64: Set<String>] = [:]
            for row in try rows("""
                SELECT ii.import_id, ii.position, ii.item_id FROM import_items ii JOIN imports i ON i.id = ii.import_id
                WHERE i.source_id = ANY($1) ORDER BY ii.import_id, ii.position
                """, sourceIds) {
                let (importId, _, itemId) = try row.decode((Int64, Int, String).self)
                let index = instrument.itemIndex(itemId) ?? -1
                if index < 0 { droppedByImport[importId, default: []].insert(itemId) }
                positionMap[importId, default: []].append(index)
            }

            var responses = ResponseTable(itemCount: instrument.items.count)
            var answers = [Int16?](repeating: nil, count: instrument.items.count)
            var units = UnitLookup(organization: organization)
            let superseded = try crossSourceDuplicates(period: periodText, sourceIds: sourceIds, notes: &notes)
            var importId: Int64?
            var map: [Int] = []
            for row in try rows("""
                SELECT import_id, team_id, answers::text, comment, id FROM responses WHERE period = $1 AND source_id = ANY($2) ORDER BY id
                """, periodText, sourceIds) {
                let (rowImport, teamId, answerText, comment, id) = try row.decode((Int64, String, String, String?, Int64).self)
                if rowImport != importId {
                    importId = rowImport
                    map = positionMap[rowImport] ?? []
                    notes.droppedItems.formUnion(droppedByImport[rowImport] ?? [])
                }
                if !superseded.isEmpty, superseded.contains(id) { continue }
                var team = teamId
                guard let unit = team.withUTF8({ units.index($0) }) else {
                    notes.unresolvedResponses += 1
                    continue
                }
                for i in answers.indices { answers[i] = nil }
                var text = answerText
                text.withUTF8 { bytes in
                    // jsonb prints `[4, null, 5]`: the same walk as SQLite's compact text (spaces are skipped).
                    AnswersText.decode(bytes) { position, value in
                        if position < map.count, map[position] >= 0 { answers[map[position]] = value }
                    }
                }
                responses.append(unit: Int32(unit), answers: answers, comment: comment)
            }

            var goals: [GoalRow] = []
            for row in try rows("""
                SELECT team_id, target, actual, score FROM goals WHERE period = $1 AND source_id = ANY($2) ORDER BY id
                """, periodText, sourceIds) {
                let (teamId, target, actual, score) = try row.decode((String, Double?, Double?, Double?).self)
                guard let unit = organization.index(of: teamId) else { notes.unresolvedGoals += 1; continue }
                let goal = Goal(id: nil, teamId: teamId, period: period, target: target, actual: actual, score: score)
                if let attainment = goal.attainment { goals.append(GoalRow(unit: Int32(unit), attainment: attainment)) }
            }
            let (ideas, unresolvedIdeas) = try loadIdeas(sourceIds: sourceIds, organization: organization)
            notes.unresolvedIdeas = unresolvedIdeas
            let dataset = PeriodDataset(period: period, organization: organization, instrument: instrument,
                                        responses: responses, ideas: ideas, goals: goals)
            return (dataset, notes)
        }
    }

    /// The ids of responses that another survey source's response of the same respondent in the period supersedes
    /// (`CrossSourceDuplicates`: the latest submission counts, then the later row).
    private func crossSourceDuplicates(period: String, sourceIds: [String], notes: inout DatasetLoadNotes) throws -> Set<Int64> {
        let holding = try rows("SELECT DISTINCT source_id FROM responses WHERE period = $1 AND source_id = ANY($2)", period, sourceIds)
        guard holding.count > 1 else { return [] }
        var duplicates = CrossSourceDuplicates()
        for row in try rows("""
            SELECT id, source_id, respondent_key, submitted FROM responses
            WHERE period = $1 AND source_id = ANY($2) AND respondent_key IS NOT NULL ORDER BY id
            """, period, sourceIds) {
            let (id, source, key, submitted) = try row.decode((Int64, String, String, Int64?).self)
            duplicates.add(id: id, source: source, respondentKey: key, submitted: submitted)
        }
        return duplicates.finish(into: &notes)
    }

    /// Every idea of the sources, in the order written (block by block), onto `organization`'s units; and how many name
    /// no unit. The blocks are unpacked by the server (jsonb), as the `ideas` view does.
    private func loadIdeas(sourceIds: [String], organization: Organization) throws -> (IdeaTable, unresolved: Int) {
        var units = UnitLookup(organization: organization)
        var unresolved = 0
        var ideas = IdeaTable()
        var submitters: [String: Int32] = [:]
        for row in try rows("""
            SELECT j.value ->> 1, (j.value ->> 2)::integer, (j.value ->> 3)::integer, (j.value ->> 4)::integer, j.value ->> 6
            FROM idea_blocks b CROSS JOIN LATERAL jsonb_array_elements(b.rows) WITH ORDINALITY AS j (value, n)
            WHERE b.source_id = ANY($1) ORDER BY b.id, j.n
            """, sourceIds) {
            let (teamId, submitted, implemented, rejected, key) = try row.decode((String, Int32, Int32?, Int32?, String?).self)
            var team = teamId
            guard let unit = team.withUTF8({ units.index($0) }) else {
                unresolved += 1
                continue
            }
            var submitter: Int32 = -1
            if let key {
                if let known = submitters[key] { submitter = known } else {
                    submitter = Int32(submitters.count)
                    submitters[key] = submitter
                }
            }
            ideas.append(unit: Int32(unit), submitted: Day(ordinal: submitted), implemented: implemented.map(Day.init(ordinal:)),
                         rejected: rejected.map(Day.init(ordinal:)), submitter: submitter)
        }
        return (ideas, unresolved)
    }
}
