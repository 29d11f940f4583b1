import LeanPulseCore

/// A whole input file is unusable (unreadable, not the declared format, too broken to trust): `file:line:column: reason`.
public struct IngestError: LocatedError, Sendable, Hashable {
    public var location: SourceLocation?
    public var reason: String

    public init(_ reason: String, at location: SourceLocation? = nil) {
        self.reason = reason
        self.location = location
    }
}
