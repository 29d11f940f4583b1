import LeanPulseCore

/// A respondent's stable tendencies, the same in every quarter.
struct SamplePerson {
    var general: Double
    var factor: [Double]

    init(employee: String, seed: UInt64) {
        var rng = SampleRandom(seed: seed, stream: "person-" + employee)
        general = 0.4 * rng.normal()
        factor = SampleFactor.allCases.map { _ in 0.3 * rng.normal() }
    }
}

/// The deliberate problems placed in one quarter's export (see SampleData/README.md).
struct SampleSurveyTraps {
    var previews = 1
    var duplicates = 1
    var unfinished = 0
    var unknownTeam = 0
    var unmatchedLabel = 0

    /// The last quarter carries one of everything; earlier quarters a rotating subset, so that no
    /// export has more than about 2% unusable rows.
    init(quartersBeforeLast r: Int) {
        switch r {
        case 0: unfinished = 1; unknownTeam = 1; unmatchedLabel = 1
        case 1: duplicates = 2; unmatchedLabel = 1
        case 2: unfinished = 1; unknownTeam = 1
        default: previews = 2
        }
    }
}

/// One simulated response, as a survey tool records it before any export layout is applied.
struct SampleResponse {
    /// When the response was recorded (seconds since 1970, UTC); it started `duration` seconds earlier.
    var recorded: Int
    var duration: Int
    /// Qualtrics' `R_...` id; the random draw is part of the simulation, so every format draws it.
    var responseId: String
    /// Qualtrics' response type: `IP Address` for a real response, `Survey Preview` for the owner's test.
    var status: String
    var progress: Int
    var finished: Bool
    /// Employee id; empty for a preview.
    var employee: String
    var channel: String
    /// `EN` or `DE`.
    var language: String
    /// Team id as the survey's contact data had it (possibly a dissolved unit).
    var team: String
    /// Q1...Q19 as choice text (`-99` and `Don't know` included), Q20 the eNPS choice text, Q21 the comment.
    var answers: [String]

    var started: Int { recorded - duration }
    /// A preview or an abandoned response: only Qualtrics records these (see `SampleSurveyFormat`).
    var isQualtricsOnly: Bool { status != "IP Address" || !finished }

    /// The row of the Qualtrics CSV, in `SampleGenerator.qualtricsColumns` order, then the answers.
    var qualtricsFields: [String] {
        [
            SampleText.timestamp(started), SampleText.timestamp(recorded), status, "",
            String(progress), String(duration), finished ? "True" : "False", SampleText.timestamp(recorded),
            responseId, "", "", "", employee, "", "", channel, language, team,
        ] + answers
    }
}

extension SampleGenerator {
    /// Columns before the questions, as Qualtrics writes them (row 1), their text (row 2) and ImportId (row 3).
    static let qualtricsColumns: [(name: String, text: String, importId: String)] = [
        ("StartDate", "Start Date", #"{"ImportId":"startDate","timeZone":"UTC"}"#),
        ("EndDate", "End Date", #"{"ImportId":"endDate","timeZone":"UTC"}"#),
        ("Status", "Response Type", #"{"ImportId":"status"}"#),
        ("IPAddress", "IP Address", #"{"ImportId":"ipAddress"}"#),
        ("Progress", "Progress", #"{"ImportId":"progress"}"#),
        ("Duration (in seconds)", "Duration (in seconds)", #"{"ImportId":"duration"}"#),
        ("Finished", "Finished", #"{"ImportId":"finished"}"#),
        ("RecordedDate", "Recorded Date", #"{"ImportId":"recordedDate","timeZone":"UTC"}"#),
        ("ResponseId", "Response ID", #"{"ImportId":"_recordId"}"#),
        ("RecipientLastName", "Recipient Last Name", #"{"ImportId":"recipientLastName"}"#),
        ("RecipientFirstName", "Recipient First Name", #"{"ImportId":"recipientFirstName"}"#),
        ("RecipientEmail", "Recipient Email", #"{"ImportId":"recipientEmail"}"#),
        ("ExternalReference", "External Data Reference", #"{"ImportId":"externalDataReference"}"#),
        ("LocationLatitude", "Location Latitude", #"{"ImportId":"locationLatitude"}"#),
        ("LocationLongitude", "Location Longitude", #"{"ImportId":"locationLongitude"}"#),
        ("DistributionChannel", "Distribution Channel", #"{"ImportId":"distributionChannel"}"#),
        ("UserLanguage", "User Language", #"{"ImportId":"userLanguage"}"#),
        ("Team", "Team", #"{"ImportId":"Team"}"#),
    ]

    /// Team of the row with an unknown team id: a unit that was dissolved before the org file was exported.
    static let unknownTeamId = "ops-eu-paint"
    /// An answer text that is not a label of the agree5 scale.
    static let unmatchedLabel = "Somewhat agree"

    /// One quarter's responses, traps included, in recorded order: the simulation behind every export format
    /// (each format only writes them out in its own layout, so all formats carry the same people and answers).
    static func surveyResponses(organization org: SampleOrganization, period: Period, index: Int,
                                options: SampleOptions) -> [SampleResponse] {
        var rng = SampleRandom(seed: options.seed, stream: "survey-\(period)")
        let traps = SampleSurveyTraps(quartersBeforeLast: options.quarters - 1 - index)
        let quartersBeforeLast = Double(options.quarters - 1 - index)
        let windowStart = period.start + 40
        let windowDays = 18
        // The whole organisation is a little more positive than the unit designs.
        let climate = 0.1
        let items = SampleInstrument.items

        var rows: [SampleResponse] = []

        func responseId() -> String {
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
            return "R_" + String((0..<15).map { _ in alphabet[rng.int(0...(alphabet.count - 1))] })
        }

        /// Factor levels of a unit this quarter: anchored at the last quarter, drifting back in time.
        func levels(_ unit: SampleUnit) -> [Double] {
            SampleFactor.allCases.map { f in
                let last = unit.level[f.rawValue] + 3 * unit.slope[f.rawValue]
                let level = last - unit.slope[f.rawValue] * quartersBeforeLast + climate + 0.05 * rng.normal()
                return min(4.6, max(1.8, level))
            }
        }

        /// The answer columns Q1...Q19, Q20, Q21 of one response.
        func answers(levels: [Double], person: SamplePerson, answeredItems: Int = items.count,
                     withComment: Bool = true) -> [String] {
            var fields: [String] = []
            for (i, item) in items.enumerated() {
                guard i < answeredItems else { fields.append(""); continue }
                let f = item.factor.rawValue
                let latent = levels[f] + item.offset + person.general + person.factor[f] + 0.7 * rng.normal()
                var value = min(5, max(1, Int(latent.rounded())))
                if item.reverse { value = 6 - value }
                if rng.chance(0.02) {
                    fields.append("-99")
                } else if rng.chance(0.008) {
                    fields.append("Don't know")
                } else {
                    fields.append(SampleInstrument.agreeLabels[value - 1])
                }
            }
            guard answeredItems >= items.count else { return fields + ["", ""] }
            let engagement = levels[0] + person.general + person.factor[0]
            let enps = min(10, max(0, Int((2.4 * engagement - 1.7 + 1.1 * rng.normal()).rounded())))
            fields.append(rng.chance(0.015) ? "-99" : SampleInstrument.enpsLabel(enps))
            if withComment, rng.chance(0.3) {
                fields.append(rng.pick(engagement >= 3.8 ? SampleComments.positive : SampleComments.negative))
            } else {
                fields.append("")
            }
            return fields
        }

        func language(_ unit: SampleUnit) -> String {
            (unit.id.hasPrefix("ops-eu") || unit.id == "sales-emea-dach") && rng.chance(0.6) ? "DE" : "EN"
        }

        func row(recorded: Int, duration: Int, status: String = "IP Address", progress: Int = 100,
                 finished: Bool = true, employee: String, channel: String = "email", language: String,
                 team: String, answers: [String]) -> SampleResponse {
            SampleResponse(recorded: recorded, duration: duration, responseId: responseId(), status: status,
                           progress: progress, finished: finished, employee: employee, channel: channel,
                           language: language, team: team, answers: answers)
        }

        func recordedInWindow(firstDay: Int = 0, lastDay: Int = windowDays - 1) -> Int {
            SampleText.instant(windowStart + rng.int(firstDay...lastDay), 6 * 3600 + rng.int(0...(14 * 3600)))
        }

        func duration() -> Int { rng.chance(0.05) ? rng.int(1800...20_000) : rng.int(95...720) }

        // Who answers: an exact share of each unit, so the confidentiality outcome is by design.
        struct Respondent { var unit: Int; var employee: String; var row: Int }
        var respondents: [Respondent] = []
        var nonRespondents: [[String]] = []
        var unitLevels: [[Double]] = []
        for (u, unit) in org.units.enumerated() {
            unitLevels.append(levels(unit))
            guard unit.headcount > 0 else { nonRespondents.append([]); continue }
            let jitter = rng.uniform() * 0.08 - 0.04
            let rate = unit.responseRate >= 1 ? 1 : min(0.95, max(0.66, unit.responseRate + jitter))
            let k = min(unit.headcount, Int((Double(unit.headcount) * rate).rounded()))
            var members = unit.members
            rng.shuffle(&members)
            for employee in members.prefix(k) {
                let person = SamplePerson(employee: employee, seed: options.seed)
                respondents.append(Respondent(unit: u, employee: employee, row: rows.count))
                rows.append(row(recorded: recordedInWindow(), duration: duration(), employee: employee,
                                language: language(unit), team: unit.id,
                                answers: answers(levels: unitLevels[u], person: person)))
            }
            nonRespondents.append(Array(members.dropFirst(k)))
        }

        // Traps go to large units so that they never decide whether a unit is suppressed.
        let large = org.units.indices.filter { org.units[$0].headcount >= 14 && !org.units[$0].fixedSize }

        // Distinct respondents for the comment traps, the unmatched label and the duplicates.
        var pool = respondents.filter { large.contains($0.unit) }
        rng.shuffle(&pool)
        for comment in SampleComments.traps where !pool.isEmpty {
            let r = pool.removeFirst()
            rows[r.row].answers[rows[r.row].answers.count - 1] = comment
        }

        if traps.unmatchedLabel > 0, !pool.isEmpty {
            let r = pool.removeFirst()
            rows[r.row].answers[6] = unmatchedLabel  // Q7, auto3
        }

        for _ in 0..<traps.duplicates where !pool.isEmpty {
            let r = pool.removeFirst()
            // The first answer moves to the first days of the window; the second, later one counts.
            let first = recordedInWindow(firstDay: 0, lastDay: 3)
            rows[r.row].recorded = first
            let person = SamplePerson(employee: r.employee, seed: options.seed)
            rows.append(row(recorded: first + rng.int(2...6) * 86_400 + rng.int(0...3600), duration: duration(),
                            employee: r.employee, language: rows[r.row].language, team: org.units[r.unit].id,
                            answers: answers(levels: unitLevels[r.unit], person: person)))
        }

        for p in 0..<traps.previews {
            // The survey owner tests the survey two days before launch: no respondent id.
            let person = SamplePerson(employee: "preview-\(p)", seed: options.seed)
            let itUnit = org.units.firstIndex { $0.id == "corp-it" } ?? 0
            rows.append(row(recorded: SampleText.instant(windowStart + -2, 10 * 3600 + rng.int(0...7200)),
                            duration: rng.int(60...240), status: "Survey Preview", employee: "",
                            channel: "preview", language: "EN", team: org.units[itUnit].id,
                            answers: answers(levels: [4, 4, 4, 4, 4], person: person)))
        }

        func takeNonRespondent(preferring preferred: String? = nil) -> (unit: Int, employee: String)? {
            let order = large.filter { org.units[$0].id == preferred } + large.reversed()
            for u in order where !nonRespondents[u].isEmpty {
                return (u, nonRespondents[u].removeFirst())
            }
            return nil
        }

        for _ in 0..<traps.unfinished {
            guard let (u, employee) = takeNonRespondent() else { break }
            // Qualtrics closes an abandoned response a week after its last activity and records it unfinished.
            let started = recordedInWindow(firstDay: 5, lastDay: 10)
            let recorded = SampleText.instant(windowStart + (windowDays - 1 + 7), rng.int(0...86_399))
            let person = SamplePerson(employee: employee, seed: options.seed)
            rows.append(row(recorded: recorded, duration: recorded - started, progress: 42, finished: false,
                            employee: employee, language: language(org.units[u]), team: org.units[u].id,
                            answers: answers(levels: unitLevels[u], person: person, answeredItems: 8)))
        }

        for _ in 0..<traps.unknownTeam {
            // Someone moved from the dissolved paint shop whose survey contact data still names it.
            guard let (u, employee) = takeNonRespondent(preferring: "ops-eu-asm") else { break }
            let person = SamplePerson(employee: employee, seed: options.seed)
            rows.append(row(recorded: recordedInWindow(), duration: duration(), employee: employee,
                            language: language(org.units[u]), team: unknownTeamId,
                            answers: answers(levels: unitLevels[u], person: person)))
        }

        // Qualtrics lists responses by recorded time.
        rows.sort { ($0.recorded, $0.responseId) < ($1.recorded, $1.responseId) }
        return rows
    }

    /// One quarter's Qualtrics CSV export (without the BOM): three header rows (names, question texts, ImportIds), CRLF,
    /// choice text answers.
    static func qualtricsCSV(_ rows: [SampleResponse]) -> String {
        let items = SampleInstrument.items
        var text = ""
        let questionNames = items.indices.map { "Q\($0 + 1)" } + ["Q20", "Q21"]
        text += SampleText.csvRow(qualtricsColumns.map(\.name) + questionNames, lineEnd: "\r\n")
        text += SampleText.csvRow(qualtricsColumns.map(\.text) + items.map(\.text)
                                  + [SampleInstrument.enpsText, SampleInstrument.commentText], lineEnd: "\r\n")
        let importIds = items.indices.map { #"{"ImportId":"QID\#($0 + 1)"}"# }
            + [#"{"ImportId":"QID20"}"#, #"{"ImportId":"QID21_TEXT"}"#]
        text += SampleText.csvRow(qualtricsColumns.map(\.importId) + importIds, lineEnd: "\r\n")
        for row in rows { text += SampleText.csvRow(row.qualtricsFields, lineEnd: "\r\n") }
        return text
    }
}
