import Foundation
import LeanPulseCore
@testable import Normalize
import Testing

struct SurveyNormalizerTests {
    let agree = Scale(id: "agree5", min: 1, max: 5, labels: ["Strongly disagree": 1, "Agree": 4, "Strongly agree": 5],
                      notAnswered: ["-99", "Don't know"])
    var instrument: Instrument {
        Instrument(id: "t", version: "1",
                   items: [Item(id: "eng1", text: "E1", scale: agree), Item(id: "eng2", text: "E2", scale: agree),
                           Item(id: "enps", text: "N", scale: Scale(id: "nps", min: 0, max: 10))],
                   factors: [Factor(id: "engagement", name: "E", itemIndexes: [0, 1], role: .engagement),
                             Factor(id: "enps", name: "N", itemIndexes: [2], role: .enps)])
    }
    let organization = try! Organization(units: [
        OrgUnit(id: "root", parentId: nil, name: "Acme", headcount: 2),
        OrgUnit(id: "ops", parentId: "root", name: "Operations, EMEA", headcount: 10),
    ])
    let header = RecordHeader(names: ["ExternalReference", "Team", "RecordedDate", "Q1", "Q2", "Q20", "Q21"])
    var source: SourceConfig {
        SourceConfig(id: "pulse", kind: .survey, format: .qualtricsCSV, path: "/x/pulse.csv",
                     fields: ["respondent": "ExternalReference", "team": "Team", "submitted": "RecordedDate", "enps": "Q20", "comment": "Q21"],
                     items: ["Q1": "eng1", "Q2": "eng2"], location: SourceLocation(file: "/x/p.yml", line: 10, column: 5))
    }

    func record(_ values: [String?], line: Int) -> SourceRecord {
        SourceRecord(values: values, location: SourceLocation(file: "/x/pulse.csv", line: line),
                     columns: Array(stride(from: 1, through: values.count * 10, by: 10)))
    }

    @Test func mapsLabelsNumbersAndNotAnsweredCodes() throws {
        var n = try SurveyNormalizer(source: source, header: header, instrument: instrument, organization: organization,
                                     pseudonymizer: Pseudonymizer(key: "k"), pipelineZone: TimeZone(identifier: "UTC")!)
        let r = n.normalize(record(["E1", "ops", "2026-08-03 10:00:00", " strongly AGREE ", "-99", "9", "fine, thanks"], line: 4))
        #expect(r?.answers == [5, nil, 9])
        #expect(r?.period.description == "2026-Q3")
        #expect(r?.teamId == "ops")
        #expect(r?.respondentKey?.hex == Pseudonymizer(key: "k").pseudonym("E1"))
        #expect(r?.comment == "fine, thanks")
        #expect(n.tally.findings.isEmpty)

        let bad = n.normalize(record(["E2", "Operations, EMEA", "2026-08-03", "7", "Meh", "", nil], line: 5))
        #expect(bad?.answers == [nil, nil, nil])
        #expect(bad?.teamId == "ops")
        #expect(n.tally.findings.map(\.code) == ["out-of-range", "unknown-label"])
        #expect(n.tally.findings[0].location == SourceLocation(file: "/x/pulse.csv", line: 5, column: 31))

        // METRICS.md 1: "don't know" and "N/A" are not answered without a warning, on a scale that does not list them.
        for text in ["N/A", " n/a ", "Don't know", "DON\u{2019}T KNOW", "Not applicable"] {
            let quiet = n.normalize(record(["E3", "ops", "2026-08-03", text, "4", "9", nil], line: 6))
            #expect(quiet?.answers == [nil, 4, 9], "\(text)")
        }
        #expect(n.tally.findings.count == 2)
    }

    /// Triple-S labels each code (`<values>`). Where a label is scored otherwise by the instrument (codes numbered in
    /// questionnaire order: 1 = "Strongly agree"), or is a not-answered label (9 = "Don't know"), the code is read through
    /// its label, and the file is told once (session 18's audit: the codes were read as numbers, every answer inverted,
    /// without a word). Labels that agree with the instrument leave the codes as they are, without a note.
    @Test func codesAreReadThroughTheExportsLabels() throws {
        var labelled = header
        labelled.valueLabels = [3: ["1": "Strongly agree", "2": "Agree", "5": "Strongly disagree", "9": "Don't know"],
                                4: ["1": "Strongly disagree", "4": "Agree", "5": "Strongly agree"]]
        var n = try SurveyNormalizer(source: source, header: labelled, instrument: instrument, organization: organization,
                                     pseudonymizer: Pseudonymizer(key: "k"), pipelineZone: TimeZone(identifier: "UTC")!)
        let r = n.normalize(record(["E1", "ops", "2026-08-03", "1", "5", "9", nil], line: 2))
        #expect(r?.answers == [5, 5, 9])
        let more = n.normalize(record(["E2", "ops", "2026-08-03", "9", "1", "7", nil], line: 3))
        #expect(more?.answers == [nil, 1, 7])
        // A code without a label reads as any answer: 3 is in range.
        #expect(n.normalize(record(["E3", "ops", "2026-08-03", "03", "4", "7", nil], line: 4))?.answers == [3, 4, 7])
        #expect(n.tally.findings.map(\.code) == ["value-labels"])
        #expect(n.tally.findings[0].message.hasSuffix("codes are read through their labels: Q1 (1 'Strongly agree' = 5, 2 'Agree' = 4, "
                                                     + "5 'Strongly disagree' = 1)"))
        #expect(n.tally.findings[0].location == SourceLocation(file: "/x/pulse.csv", line: 2, column: 31))
    }

    /// A European spreadsheet writes a whole number formatted with decimals as `4,0`: read as 4 (it was a warning and no
    /// answer); `1,000` reads as a thousands separator, not a decimal, and stays unknown.
    @Test func decimalCommaWholeNumbersAreRead() throws {
        var n = try SurveyNormalizer(source: source, header: header, instrument: instrument, organization: organization,
                                     pseudonymizer: Pseudonymizer(key: "k"), pipelineZone: TimeZone(identifier: "UTC")!)
        let r = n.normalize(record(["E1", "ops", "2026-08-03", "4,0", "2,00", "10,0", nil], line: 2))
        #expect(r?.answers == [4, 2, 10])
        #expect(n.tally.findings.isEmpty)
        let odd = n.normalize(record(["E2", "ops", "2026-08-03", "4,5", "1,000", "9,0", nil], line: 3))
        #expect(odd?.answers == [nil, nil, 9])
        #expect(n.tally.findings.map(\.code) == ["unknown-label", "unknown-label"])
    }

    /// LimeSurvey writes `1980-01-01 00:00:00` as every response's date in an anonymized survey (session 18's audit: every
    /// response went to 1980-Q1 without a word). Without the source's `period:` each is rejected with what to do; with it,
    /// the responses go to that period without a submission date, and the file gets one note.
    @Test func limeSurveyAnonymizedDateIsNoDate() throws {
        var lime = source
        lime.format = .limeSurveyCSV
        var n = try SurveyNormalizer(source: lime, header: header, instrument: instrument, organization: organization,
                                     pseudonymizer: Pseudonymizer(key: "k"), pipelineZone: TimeZone(identifier: "UTC")!)
        #expect(n.normalize(record(["E1", "ops", "1980-01-01 00:00:00", "4", "4", "9", nil], line: 2)) == nil)
        #expect(n.tally.findings.map(\.code) == ["no-period"])
        #expect(n.tally.findings[0].message.contains("LimeSurvey's placeholder in an anonymized survey"))
        #expect(n.tally.findings[0].location == SourceLocation(file: "/x/pulse.csv", line: 2, column: 21))

        lime.period = Period(year: 2026, quarter: 3)
        var fixed = try SurveyNormalizer(source: lime, header: header, instrument: instrument, organization: organization,
                                         pseudonymizer: Pseudonymizer(key: "k"), pipelineZone: TimeZone(identifier: "UTC")!)
        for line in 2...3 {
            let r = fixed.normalize(record(["E\(line)", "ops", "1980-01-01 00:00:00", "4", "4", "9", nil], line: line))
            #expect(r?.period.description == "2026-Q3")
            #expect(r?.submitted == nil)
        }
        #expect(fixed.tally.findings.map(\.code) == ["anonymized-dates"])
        // The same text in another format is a date (1980 is a real year), as before.
        var plain = source
        plain.period = Period(year: 2026, quarter: 3)
        var other = try SurveyNormalizer(source: plain, header: header, instrument: instrument, organization: organization,
                                         pseudonymizer: Pseudonymizer(key: "k"), pipelineZone: TimeZone(identifier: "UTC")!)
        #expect(other.normalize(record(["E1", "ops", "1980-01-01 00:00:00", "4", "4", "9", nil], line: 2))?.submitted != nil)
    }

    /// Microsoft Forms writes `anonymous` as the Email of every respondent of an anonymous form: no id (one warning), not
    /// one person whose later responses supersede the earlier ones.
    @Test func microsoftFormsAnonymousIsNoRespondentId() throws {
        var forms = source
        forms.format = .microsoftFormsCSV
        var n = try SurveyNormalizer(source: forms, header: header, instrument: instrument, organization: organization,
                                     pseudonymizer: Pseudonymizer(key: "k"), pipelineZone: TimeZone(identifier: "UTC")!)
        let a = n.normalize(record(["anonymous", "ops", "2026-08-03", "4", "4", "9", nil], line: 2))
        let b = n.normalize(record(["Anonymous", "ops", "2026-08-04", "5", "5", "10", nil], line: 3))
        #expect(a?.respondentKey == nil && b?.respondentKey == nil)
        #expect(n.tally.findings.map(\.code) == ["anonymous-respondent"])
        // In a generic CSV the word is an id like any other.
        var plain = try SurveyNormalizer(source: source, header: header, instrument: instrument, organization: organization,
                                         pseudonymizer: Pseudonymizer(key: "k"), pipelineZone: TimeZone(identifier: "UTC")!)
        #expect(plain.normalize(record(["anonymous", "ops", "2026-08-03", "4", "4", "9", nil], line: 2))?.respondentKey != nil)
    }

    @Test func numberedTeamsResolveByTheirExactText() throws {
        // Numbered teams take the dense-array path; "042" is not "42", and a name still resolves.
        let numbered = try Organization(units: [
            OrgUnit(id: "1", parentId: nil, name: "Acme", headcount: 2),
            OrgUnit(id: "42", parentId: "1", name: "Assembly", headcount: 10),
            OrgUnit(id: "042", parentId: "1", name: "Paint", headcount: 10),
            OrgUnit(id: "0", parentId: "1", name: "Zero", headcount: 10),
        ])
        var n = try SurveyNormalizer(source: source, header: header, instrument: instrument, organization: numbered,
                                     pseudonymizer: Pseudonymizer(key: "k"), pipelineZone: TimeZone(identifier: "UTC")!)
        var teams: [String?] = []
        for (i, team) in ["42", "042", "42", " 42 ", "0", "7", "7", "Paint", "4200000000", "-1"].enumerated() {
            teams.append(n.normalize(record(["E\(i)", team, "2026-08-03", "4", "4", "9", nil], line: i + 2))?.teamId)
        }
        #expect(teams == ["42", "042", "42", "42", "0", nil, nil, "042", nil, nil])
        #expect(n.tally.findings.map(\.code) == Array(repeating: "unknown-team", count: 4))
    }

    @Test func numberedTeamsAtWordEdgesAndNumbersThatAreNames() throws {
        // The numbered ids are one bit each in 64-bit words: ids at the words' edges, and a number that is only a unit's
        // name (resolved by name, as `Organization.resolve` does), must come out as before.
        var units = [OrgUnit(id: "1", parentId: nil, name: "Acme", headcount: 2), OrgUnit(id: "T9", parentId: "1", name: "77", headcount: 5)]
        for id in [63, 64, 127, 128, 65_535] { units.append(OrgUnit(id: "\(id)", parentId: "1", name: "Unit \(id)", headcount: 5)) }
        var n = try SurveyNormalizer(source: source, header: header, instrument: instrument, organization: Organization(units: units),
                                     pseudonymizer: Pseudonymizer(key: "k"), pipelineZone: TimeZone(identifier: "UTC")!)
        var teams: [String?] = []
        for (i, team) in ["63", "64", "62", "65", "127", "128", "129", "65535", "65536", "77", "T9", "Unit 64"].enumerated() {
            teams.append(n.normalize(record(["E\(i)", team, "2026-08-03", "4", "4", "9", nil], line: i + 2))?.teamId)
        }
        #expect(teams == ["63", "64", nil, nil, "127", "128", nil, "65535", nil, "T9", "T9", "64"])
    }

    @Test func rejectsUnknownTeamsAndMissingPeriods() throws {
        var n = try SurveyNormalizer(source: source, header: header, instrument: instrument, organization: organization,
                                     pseudonymizer: Pseudonymizer(key: "k"), pipelineZone: TimeZone(identifier: "UTC")!)
        #expect(n.normalize(record(["E1", "nowhere", "2026-08-03", "4", "4", "9", nil], line: 4)) == nil)
        #expect(n.normalize(record(["E1", "ops", "not a date", "4", "4", "9", nil], line: 5)) == nil)
        #expect(n.tally.read == 2)
        #expect(n.tally.rejected == 2)
        #expect(n.tally.findings.map(\.code) == ["unknown-team", "bad-date"])
        #expect(n.tally.findings.allSatisfy { $0.severity == .error })
    }

    @Test func refusesAMappingThatDoesNotFitTheExport() {
        var broken = source
        broken.items["Q9"] = "eng1"
        #expect(throws: Diagnostic.self) {
            try SurveyNormalizer(source: broken, header: header, instrument: instrument, organization: organization,
                                 pseudonymizer: Pseudonymizer(key: "k"), pipelineZone: TimeZone(identifier: "UTC")!)
        }
        #expect(throws: Diagnostic.self) {
            try SurveyNormalizer(source: source, header: header, instrument: instrument, organization: organization,
                                 pseudonymizer: nil, pipelineZone: TimeZone(identifier: "UTC")!)
        }
    }
}

/// Times without an offset are read in the source's zone, else the zone the export states (Qualtrics' ImportId row),
/// else the pipeline's; the period comes from the instant's date in the pipeline's zone (DESIGN.md).
struct ExportTimeZoneTests {
    let scale = Scale(id: "s", min: 1, max: 5)
    var instrument: Instrument {
        Instrument(id: "t", version: "1", items: [Item(id: "eng1", text: "E1", scale: scale)],
                   factors: [Factor(id: "engagement", name: "E", itemIndexes: [0], role: .engagement)])
    }
    let organization = try! Organization(units: [OrgUnit(id: "root", parentId: nil, name: "Acme", headcount: 2)])

    func normalized(_ date: String, sourceZone: String?, stated: String?, pipeline: String) throws -> (SurveyResponse?, ExportZone) {
        let header = RecordHeader(names: ["Team", "RecordedDate", "Q1"], headerRows: 3, timeZones: stated.map { [1: $0] } ?? [:])
        let source = SourceConfig(id: "pulse", kind: .survey, format: .qualtricsCSV, path: "/x/pulse.csv",
                                  fields: ["team": "Team", "submitted": "RecordedDate"], items: ["Q1": "eng1"], timezone: sourceZone,
                                  location: SourceLocation(file: "/x/p.yml", line: 10, column: 5))
        var n = try SurveyNormalizer(source: source, header: header, instrument: instrument, organization: organization,
                                     pseudonymizer: nil, pipelineZone: TimeZone(identifier: pipeline)!)
        let record = SourceRecord(values: ["root", date, "4"], location: SourceLocation(file: "/x/pulse.csv", line: 4))
        return (n.normalize(record), n.exportZone)
    }

    @Test func theExportsStatedZoneReadsItsTimesAndThePipelinesZoneGivesThePeriod() throws {
        // 2026-06-30 20:00 in Denver (UTC-6 in summer) is 2026-07-01 02:00 UTC: the third quarter in a UTC pipeline.
        let (r, zone) = try normalized("2026-06-30 20:00:00", sourceZone: nil, stated: "America/Denver", pipeline: "UTC")
        #expect(zone.origin == .export && zone.zone.identifier == "America/Denver")
        #expect(r?.submitted == 1_782_871_200)
        #expect(r?.period.description == "2026-Q3")
        // The same instant in a Denver pipeline is still June 30: the second quarter.
        let (denver, _) = try normalized("2026-06-30 20:00:00", sourceZone: nil, stated: "America/Denver", pipeline: "America/Denver")
        #expect(denver?.submitted == 1_782_871_200)
        #expect(denver?.period.description == "2026-Q2")
    }

    @Test func theSourcesZoneWinsAndZMeansUTC() throws {
        let (r, zone) = try normalized("2026-06-30 20:00:00", sourceZone: "Europe/Zurich", stated: "America/Denver", pipeline: "UTC")
        #expect(zone.origin == .source)
        #expect(r?.submitted == 1_782_842_400)  // 18:00 UTC
        #expect(r?.period.description == "2026-Q2")
        let (z, utc) = try normalized("2026-06-30 20:00:00", sourceZone: nil, stated: "Z", pipeline: "America/Denver")
        #expect(utc.origin == .export && utc.zone.secondsFromGMT() == 0)
        #expect(z?.submitted == 1_782_849_600)  // 20:00 UTC, 14:00 in Denver
        #expect(z?.period.description == "2026-Q2")
        // A zone the export names but nobody knows: the pipeline's.
        let (_, unknown) = try normalized("2026-06-30 20:00:00", sourceZone: nil, stated: "Mars/Olympus", pipeline: "UTC")
        #expect(unknown.origin == .pipeline)
        #expect(unknown.unknownStated == "Mars/Olympus")
        #expect(zone.unknownStated == nil && utc.unknownStated == nil)
        // The source's zone decides even over a zone nobody knows: nothing to warn about.
        let (_, overridden) = try normalized("2026-06-30 20:00:00", sourceZone: "UTC", stated: "Mars/Olympus", pipeline: "UTC")
        #expect(overridden.origin == .source && overridden.unknownStated == nil)
        // `validate` names UTC as the pipeline file does (Foundation calls it GMT on Linux).
        #expect(overridden.description == "UTC (the source's timezone)")
        #expect(zone.description == "Europe/Zurich (the source's timezone)")
    }

    @Test func aStatedOffsetIsAFixedZone() throws {
        // 20:00 at UTC-06:00 is 02:00 UTC the next day, whichever way the offset is written.
        for stated in ["-06:00", "-0600", "-06", "-6", "UTC-6", "GMT-06:00"] {
            let (r, zone) = try normalized("2026-06-30 20:00:00", sourceZone: nil, stated: stated, pipeline: "UTC")
            #expect(zone.origin == .export, "\(stated)")
            #expect(r?.submitted == 1_782_871_200, "\(stated)")
        }
        // The rule of a timestamp's offset (TimestampParser), whole text only.
        #expect(TimestampParser.utcOffset("+05:30") == 19_800)
        #expect(TimestampParser.utcOffset("+0530") == 19_800)
        #expect(TimestampParser.utcOffset("+14:00") == 50_400)
        for text in ["+19:00", "+05:60", "+05:30:00", "05:00", "+", "+1a", "+０５", "UTC", "+530"] {
            #expect(TimestampParser.utcOffset(text) == nil, "\(text)")
        }
        #expect(ExportZone.zone(named: "GMT+05:30")?.secondsFromGMT() == 19_800)
        #expect(ExportZone.zone(named: "UTC")?.secondsFromGMT() == 0)
    }
}

struct IdeaNormalizerTests {
    @Test func readsDatesAndChecksTheirOrder() throws {
        let org = try Organization(units: [OrgUnit(id: "t1", parentId: nil, name: "T", headcount: 5)])
        let source = SourceConfig(id: "ideas", kind: .ideas, format: .csv, path: "/x/i.csv",
                                  fields: ["id": "idea_id", "team": "team_id", "submitted": "submitted_on", "implemented": "implemented_on",
                                           "status": "status"], location: SourceLocation(file: "/p.yml"))
        let header = RecordHeader(names: ["idea_id", "team_id", "submitted_on", "implemented_on", "status"])
        var n = try IdeaNormalizer(source: source, header: header, organization: org, pseudonymizer: nil,
                                   pipelineZone: TimeZone(identifier: "UTC")!)
        let loc = SourceLocation(file: "/x/i.csv", line: 2)
        let idea = n.normalize(SourceRecord(values: ["I1", "t1", "2026-07-01", "2026-07-01", "implemented"], location: loc))
        #expect(idea?.submitted == Day(iso: "2026-07-01"))
        #expect(idea?.implemented == Day(iso: "2026-07-01"))
        #expect(n.normalize(SourceRecord(values: ["I2", "t1", "2026-07-05", "2026-07-01", "implemented"], location: loc)) == nil)
        #expect(n.tally.findings.first?.code == "date-order")
        #expect(n.tally.read == 2 && n.tally.accepted == 1 && n.tally.rejected == 1)
    }

    /// A submission date repeated from the idea before is taken from it; any other text, a changed byte or a bad date
    /// after a good one, is read afresh.
    @Test func repeatedSubmissionDates() throws {
        let org = try Organization(units: [OrgUnit(id: "t1", parentId: nil, name: "T", headcount: 5)])
        let source = SourceConfig(id: "ideas", kind: .ideas, format: .csv, path: "/x/i.csv",
                                  fields: ["id": "idea_id", "team": "team_id", "submitted": "submitted_on"], location: SourceLocation(file: "/p.yml"))
        var n = try IdeaNormalizer(source: source, header: RecordHeader(names: ["idea_id", "team_id", "submitted_on"]), organization: org,
                                   pseudonymizer: nil, pipelineZone: TimeZone(identifier: "UTC")!)
        let loc = SourceLocation(file: "/x/i.csv", line: 2)
        let dates = ["2026-07-01", "2026-07-01", "2026-07-02", "2026-07-02", "2026-07-32", "2026-07-02", "2026-7-2", "2026-02-30",
                     "2026-12-31"]
        let days = dates.enumerated().map { i, date in n.normalize(SourceRecord(values: ["I\(i)", "t1", date], location: loc))?.submitted }
        let expected = ["2026-07-01", "2026-07-01", "2026-07-02", "2026-07-02", nil, "2026-07-02", "2026-07-02", nil, "2026-12-31"]
        #expect(days == expected.map { $0.flatMap { Day(iso: $0) } })
        #expect(n.tally.findings.map(\.code) == ["bad-date", "bad-date"])
    }
}
