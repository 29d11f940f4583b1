import Foundation
import LeanPulseCore
import Testing
@testable import Pipeline

/// `--log-format json`: a location's line and column are numbers a log collector can compare, absent where unknown.
struct RunLogTests {
    func json(_ location: LeanPulseCore.SourceLocation) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: RunLog.fields(location), options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    @Test func locationsAreNumbersWhereKnown() throws {
        #expect(try json(LeanPulseCore.SourceLocation(file: "a.csv", line: 3, column: 7)) == #"{"column":7,"file":"a.csv","line":3}"#)
        #expect(try json(LeanPulseCore.SourceLocation(file: "b.xml", line: 12)) == #"{"file":"b.xml","line":12}"#)
        #expect(try json(LeanPulseCore.SourceLocation(file: "c.yml")) == #"{"file":"c.yml"}"#)
    }

    /// "Progress is shown on a terminal, silent under cron" (DESIGN.md): without a terminal the text log keeps warnings
    /// and errors only (the audit's cron run wrote 1.2 KB of info lines on success); JSON lines keep every event.
    @Test func infoLinesOnlyOnATerminalOrAsJSON() {
        func lines(_ format: RunLog.Format, terminal: Bool, quiet: Bool = false) -> [String] {
            let buffer = LockedText()
            let log = RunLog(format: format, quiet: quiet, isTerminal: terminal) { buffer.append($0) }
            log.info("ingest", "pulse: 10 read")
            log.warning("compute", "no survey response")
            log.error(Diagnostic(.error, "broken"))
            return buffer.text.split(separator: "\n").map(String.init)
        }
        #expect(lines(.text, terminal: true).count == 3)
        #expect(lines(.text, terminal: false) == ["leanpulse: compute: no survey response", "leanpulse: error: broken"])
        #expect(lines(.json, terminal: false).count == 3)
        #expect(lines(.text, terminal: false, quiet: true) == ["leanpulse: error: broken"])
    }
}
