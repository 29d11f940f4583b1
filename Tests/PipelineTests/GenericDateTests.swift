import Foundation
import LeanPulseCore
import Pipeline
import Testing

/// A generic CSV without `date_format` reads `03/08/2026` month first (as US exports write it). A day-first export then
/// reads as valid but wrong dates while the day is 12 or less: the file gets one warning saying so and how to fix it
/// (session 14's format audit found such responses silently a quarter off).
@Suite(.serialized)
struct GenericDateTests {
    func workspace(dates: [String], dateFormat: String? = nil) throws -> SampleWorkspace {
        let ws = try SampleWorkspace()
        var csv = "emp,team,when,eng1\n"
        for (i, date) in dates.enumerated() { csv += "E\(900 + i),ops-eu-asm,\(date),4\n" }
        try csv.write(toFile: ws.root + "/SampleData/exports/generic.csv", atomically: true, encoding: .utf8)
        try ws.replacePulseSource(with: """
              - id: pulse
                kind: survey
                format: csv
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

    @Test func isoDatesAndAStatedFormatAreNotWarned() throws {
        for (dates, format) in [(["2026-07-15", "2026-08-03T10:00:00Z"], nil), (["15/07/2026", "03/08/2026"], "dd/MM/yyyy")] as [([String], String?)] {
            let ws = try workspace(dates: dates, dateFormat: format)
            defer { ws.remove() }
            #expect(try findings(ws).isEmpty, "\(dates)")
        }
    }
}
