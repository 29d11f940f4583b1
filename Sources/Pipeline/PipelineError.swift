import LeanPulseCore

/// The process exit codes of the contract.
public enum ExitCode: Int32, Sendable {
    /// Published.
    case published = 0
    /// Failed: nothing published, store unchanged.
    case failed = 1
    /// Invalid command line or pipeline file.
    case invalidConfiguration = 2
    /// Published, but the data-quality gate was exceeded.
    case qualityGateExceeded = 3
    /// Another run holds the store's lock (EX_TEMPFAIL: try again later).
    case locked = 75
}

/// The one user-facing error of a run: a diagnostic with the exit code it leads to and the step it came from.
public struct PipelineError: Error, CustomStringConvertible {
    public var exitCode: ExitCode
    public var diagnostic: Diagnostic
    public var step: String

    public init(_ exitCode: ExitCode, _ message: String, at location: SourceLocation? = nil, step: String = "run") {
        self.exitCode = exitCode
        self.diagnostic = Diagnostic(.error, message, at: location)
        self.step = step
    }

    public init(_ exitCode: ExitCode, _ diagnostic: Diagnostic, step: String = "run") {
        self.exitCode = exitCode
        self.diagnostic = diagnostic
        self.step = step
    }

    public var description: String { diagnostic.description }
}
