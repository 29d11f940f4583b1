/// What the command line asked of a run.
public struct RunOptions: Sendable {
    public var pipelinePath: String
    public var period: String?
    public var out: String?
    public var store: String?
    public var quiet: Bool
    public var logFormat: RunLog.Format
    /// "Today" for `previous-quarter`; nil = the current date in the pipeline's time zone.
    public var today: Day?
    /// Asked to stop (`leanpulse run` passes the process's, which SIGINT, SIGTERM and SIGHUP set).
    public var interruption: Interruption

    public init(pipelinePath: String, period: String? = nil, out: String? = nil, store: String? = nil, quiet: Bool = false,
                logFormat: RunLog.Format = .text, today: Day? = nil, interruption: Interruption = Interruption()) {
        self.pipelinePath = pipelinePath
        self.period = period
        self.out = out
        self.store = store
        self.quiet = quiet
        self.logFormat = logFormat
        self.today = today
        self.interruption = interruption
    }
}

import LeanPulseCore
