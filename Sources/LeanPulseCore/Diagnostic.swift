/// Where something was found in an input file: 1-based line and column (0 = unknown).
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `path:line:column`, leaving out the parts that are unknown.
    public var description: String {
        var text = file
        if line > 0 {
            text += ":\(line)"
            if column > 0 { text += ":\(column)" }
        }
        return text
    }
}

/// How serious a diagnostic or data-quality finding is.
public enum Severity: String, Sendable, Codable, Comparable {
    case info, warning, error

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One message for the user, printed as `path:line:column: error: message`.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public var severity: Severity
    public var message: String
    public var location: SourceLocation?

    public init(_ severity: Severity = .error, _ message: String, at location: SourceLocation? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(location): \(severity.rawValue): \(message)" }
        return "leanpulse: \(severity.rawValue): \(message)"
    }
}

/// The error a stage throws when a whole input is unusable; the runner turns it into a `Diagnostic`.
public protocol LocatedError: Error, CustomStringConvertible {
    var location: SourceLocation? { get }
    var reason: String { get }
}

extension LocatedError {
    public var description: String { Diagnostic(.error, reason, at: location).description }
    public var diagnostic: Diagnostic { Diagnostic(.error, reason, at: location) }
}

/// A record that could not be used, or a value that was dropped: it never disappears silently.
public struct DataQualityFinding: Sendable, Hashable, Codable {
    public var source: String
    public var location: SourceLocation
    public var severity: Severity
    /// A stable machine-readable code such as `unknown-team` or `out-of-range`.
    public var code: String
    public var message: String

    public init(source: String, location: SourceLocation, severity: Severity, code: String, message: String) {
        self.source = source
        self.location = location
        self.severity = severity
        self.code = code
        self.message = message
    }
}
