import LeanPulseCore

/// A report could not be written: an output file, the output folder or a template is unusable.
public struct RenderError: LocatedError, Sendable {
    public var reason: String
    public var location: SourceLocation?

    public init(_ reason: String, path: String? = nil) {
        self.reason = reason
        self.location = path.map { SourceLocation(file: $0) }
    }
}
