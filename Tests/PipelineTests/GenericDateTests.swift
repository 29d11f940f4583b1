import Foundation
import LeanPulseCore
@testable import Pipeline
import Testing

/// A generic CSV without `date_format` reads `03/08/2026` month first (as US exports write it). A day-first export then
/// reads as valid but wrong dates while the day is 12 or less: the file gets one warning saying so and how to fix it
/// (session 14's format audit found such responses silently a quarter off).
@Suite(.serialized)
struct GenericDateTests {
    func workspace(dates: [String], dateFormat: String? = nil, format: String = "csv") throws -> SampleWorkspace {
        let ws = try SampleWorkspace()
        var csv = "emp,team,when,eng1\n"
        for (i, date) in dates.enumerated() { csv += "E\(900 + i),ops-eu-asm,\(date),4\n" }
        try csv.write(toFile: ws.root + "/SampleData/exports/generic.csv", atomically: true, encoding: .utf8)
        try ws.replacePulseSource(with: """
              - id: pulse
                kind: survey
                format: \(format)
                path: ../SampleData/exports/generic.csv
                fields: { respondent: emp, team: team, submitted: when }
                items: { eng1: eng1 }
            \(dateFormat.map { "    date_format: \"\($0)\"\n" } ?? "")

            """)
        return ws
    }

    func findings(_ ws: SampleWorkspace) throws -> [String] {
        setenv("LEANPULSE_KEY", "test-secret", 1)
        _ = PipelineRunner(options: ws.options(), log: RunLog(quiet: true)).run()
        return try ws.read("data_quality.csv").split(separator: "\n").map(String.init).filter { $0.contains("month-first-dates") }
    }

    @Test func slashDatesReadMonthFirstAreSaidOncePerFile() throws {
        let ws = try workspace(dates: ["07/15/2026", "08/03/2026", "2026-08-04", "09/01/2026 10:30"])
        defer { ws.remove() }
        let found = try findings(ws)
        #expect(found.count == 1)
        // The first slash date is named, with its reading and the fix; its line and column are the field's.
        #expect(found.first?.contains("generic.csv,2,17,warning,month-first-dates,\"3 dates were read month first") == true, "\(found)")
        #expect(found.first?.contains("'07/15/2026' is July 15, 2026") == true)
        #expect(found.first?.contains("date_format: dd/MM/yyyy") == true)
    }

    /// Google Forms and Microsoft Forms write dates in the spreadsheet's locale: they are watched as generic sources are.
    /// A file where one date can only be day first (`14/08/2026`) proves that the dates read month first are wrong: the
    /// file fails, naming the format to set, and nothing is published (session 18's audit: a UK-locale Google Sheets
    /// download put `05/08/2026` in May and `02/09/2026` in February without a word).
    @Test(arguments: ["csv", "google-forms-csv", "microsoft-forms-csv"])
    func aFileProvenDayFirstFailsAndNamesTheFormat(format: String) throws {
        let ws = try workspace(dates: ["05/08/2026 09:00:00", "14/08/2026 18:41:38", "02/09/2026 10:00:00"], format: format)
        defer { ws.remove() }
        setenv("LEANPULSE_KEY", "test-secret", 1)
        let logged = LockedText()
        let log = RunLog(format: .text, quiet: false, isTerminal: false) { logged.append($0) }
        #expect(PipelineRunner(options: ws.options(), log: log).run() == .failed)
        let expected = ws.root + "/SampleData/exports/generic.csv:3:17: error: this export writes the day first: '14/08/2026 18:41:38' can "
            + "only be read so, yet 2 of its dates were read month first (the first '05/08/2026 09:00:00' at line 2 as May 8, 2026), "
            + "which puts those records in the wrong days and quarters. Set date_format: dd/MM/yyyy HH:mm:ss on source 'pulse'"
        #expect(logged.text.contains(expected), "\(logged.text)")
        #expect(!FileManager.default.fileExists(atPath: ws.reports() + "/index.html"))

        // With the format it names, every date reads as written.
        let fixed = try workspace(dates: ["05/08/2026 09:00:00", "14/08/2026 18:41:38", "02/09/2026 10:00:00"],
                                  dateFormat: "dd/MM/yyyy HH:mm:ss", format: format)
        defer { fixed.remove() }
        #expect(PipelineRunner(options: fixed.options(), log: RunLog(quiet: true)).run() == .published)
        let quality = try fixed.read("data_quality.csv")
        #expect(!quality.contains("date"), "\(quality)")
    }

    @Test func isoDatesAndAStatedFormatAreNotWarned() throws {
        for (dates, format) in [(["2026-07-15", "2026-08-03T10:00:00Z"], nil), (["15/07/2026", "03/08/2026"], "dd/MM/yyyy")] as [([String], String?)] {
            let ws = try workspace(dates: dates, dateFormat: format)
            defer { ws.remove() }
            #expect(try findings(ws).isEmpty, "\(dates)")
        }
    }
}

/// Qualtrics states the zone of its times in the ImportId row. A zone this tool cannot read leaves the times in the
/// pipeline's zone, which can move a response near midnight into another day or quarter: the file gets one warning at
/// that header row (it used to fall back without a word), and a fixed offset such as `-06:00` is read.
@Suite(.serialized)
struct StatedTimeZoneTests {
    func findings(statedZone: String, time: String = "2026-07-01 01:30:00") throws -> [String] {
        let ws = try SampleWorkspace()
        defer { ws.remove() }
        var csv = "ResponseId,ExternalReference,Team,RecordedDate,Q1\n"
        csv += "Response ID,External Data Reference,Team,Recorded Date,I am proud to work here\n"
        // As Qualtrics writes it: each JSON cell quoted, its quotes doubled.
        csv += #""{""ImportId"":""_recordId""}","{""ImportId"":""externalDataReference""}","{""ImportId"":""QID90_TEXT""}","#
            + #""{""ImportId"":""recordedDate"",""timeZone"":""\#(statedZone)""}","{""ImportId"":""QID1""}""# + "\n"
        for i in 0..<3 { csv += "R_\(i),E\(900 + i),ops-eu-asm,\(time),4\n" }
        try csv.write(toFile: ws.root + "/SampleData/exports/zoned.csv", atomically: true, encoding: .utf8)
        try ws.replacePulseSource(with: """
              - id: pulse
                kind: survey
                format: qualtrics-csv
                path: ../SampleData/exports/zoned.csv
                period: 2026-Q3
                fields: { respondent: ExternalReference, team: Team, submitted: RecordedDate }
                items: { Q1: eng1 }

            """)
        setenv("LEANPULSE_KEY", "test-secret", 1)
        _ = PipelineRunner(options: ws.options(), log: RunLog(quiet: true)).run()
        let rows = try ws.read("data_quality.csv").split(separator: "\n").map(String.init).filter { $0.contains("zoned.csv") }
        // The sample's instrument has more items than this export carries: one missing-item warning each, nothing else.
        #expect(rows.filter { !$0.contains("unknown-time-zone") }.allSatisfy { $0.contains(",missing-item,") }, "\(rows)")
        return rows.filter { $0.contains("unknown-time-zone") }
    }

    @Test func anUnknownStatedZoneIsWarnedOnceAtTheImportIdRow() throws {
        let found = try findings(statedZone: "Mars/Olympus")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.contains("zoned.csv,3,,warning,unknown-time-zone,") == true, "\(found)")
        #expect(found.first?.contains("'Mars/Olympus'") == true)
        #expect(found.first?.contains("the pipeline's timezone") == true)
    }

    @Test func knownZonesAndOffsetsAreNotWarned() throws {
        for zone in ["America/Denver", "Z", "-06:00"] {
            #expect(try findings(statedZone: zone).isEmpty, "\(zone)")
        }
    }
}
