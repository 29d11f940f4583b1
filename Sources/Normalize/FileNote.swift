import LeanPulseCore

/// A condition said once for a whole file rather than once per record (a status-only log has it on every idea): how
/// many records had it, and where the first one was.
struct FileNote {
    private var count = 0
    private var first: SourceLocation?

    /// Notes a record with the condition at `location` (made only for the first).
    mutating func saw(at location: @autoclosure () -> SourceLocation) {
        count += 1
        if first == nil { first = location() }
    }

    /// The count and the first location when the file had the condition, then nothing (for the next file).
    mutating func take() -> (count: Int, first: SourceLocation)? {
        defer { self = FileNote() }
        return first.map { (count, $0) }
    }
}
