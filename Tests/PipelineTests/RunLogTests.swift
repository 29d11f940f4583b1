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
}
