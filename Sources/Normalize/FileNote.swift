import LeanPulseCore

/// A condition said once for a whole file rather than once per record (a status-only log has it on every idea): how
/// many records had it, and where the first one was.
struct FileNote {
    private var count = 0
    private var first: SourceLocation?

    /// Notes a record with the condition at `location` (made only for the first; later ones touch the count alone, as a
    /// status-only log notes every rejected idea).
    @inline(__always)
    mutating func saw(at location: @autoclosure () -> SourceLocation) {
        if count == 0 { first = location() }
        count &+= 1
    }

    /// The count and the first location when the file had the condition, then nothing (for the next file).
    mutating func take() -> (count: Int, first: SourceLocation)? {
        defer { self = FileNote() }
        return first.map { (count, $0) }
    }
}
