#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A request to stop a run early: Ctrl-C on a terminal (SIGINT), a scheduler's or `timeout`'s SIGTERM, a closed
/// terminal's SIGHUP. The run looks at it between batches of records, between pages and between stages, and stops
/// as a failed run does: nothing published, the report folder's staging copy removed, an import in progress rolled
/// back, the lock released, exit 1 with a message that says so. A second signal ends the process at once.
public final class Interruption: Sendable {
    /// The signal that asked for the stop; 0 while none has.
    private let signalNumber = Atomic<Int32>(0)

    public init() {}

    /// The one the signal handlers set (`installSignalHandlers`); a run that is not `leanpulse run` keeps its own.
    public static let process = Interruption()

    /// Records a request to stop; the first signal is the one reported.
    public func request(signal: Int32) {
        _ = signalNumber.compareExchange(expected: 0, desired: signal, ordering: .relaxed)
    }

    /// The signal that asked for the stop, nil while none has.
    public var requested: Int32? {
        let signal = signalNumber.load(ordering: .relaxed)
        return signal == 0 ? nil : signal
    }

    /// Throws `Interrupted` once a stop was requested.
    public func check() throws(Interrupted) {
        if let signal = requested { throw Interrupted(signal: signal) }
    }

    /// Ignores SIGPIPE (a closed log pipe is a failed write the log drops, not the end of the run) and routes SIGINT,
    /// SIGTERM and SIGHUP to `Interruption.process`, except a signal the process was started with
    /// ignored (`nohup`, a service manager's choice), which stays ignored. The handler only stores the signal's
    /// number (and, on a second signal, restores the default action and raises it again): both are safe in a signal
    /// handler. Call it on the main thread before other threads start: the three signals are unblocked on it (a
    /// parent that starts this process from a thread that blocks them, as a Foundation `Process` launched from a
    /// Dispatch thread does, passes its mask on, and the signal would wait forever; Dispatch's threads block them).
    public static func installSignalHandlers() {
        _ = process.requested  // initialise the global before a handler can touch it
        // A log reader that goes away (a closed pipe) must not kill the run between two writes of the store or the
        // report: writes to it fail with EPIPE instead, and the log drops them (`RunLog`).
        signal(SIGPIPE, SIG_IGN)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            var previous = sigaction()
            guard sigaction(signal, nil, &previous) == 0 else { continue }
            if Self.isIgnored(previous) { continue }
            setAction(signal, interruptionHandler)
            sigaddset(&unblock, signal)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    private static func isIgnored(_ action: sigaction) -> Bool {
        #if canImport(Darwin)
        let handler = unsafeBitCast(action.__sigaction_u.__sa_handler, to: Int.self)
        #else
        let handler = unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
        #endif
        return handler == 1  // SIG_IGN
    }
}

/// The signal handler: the first signal asks the run to stop, a second one ends the process as the signal would.
private func interruptionHandler(_ signal: Int32) {
    if Interruption.process.requested != nil {
        restoreDefaultAction(signal)
        raise(signal)
        return
    }
    Interruption.process.request(signal: signal)
}

private func restoreDefaultAction(_ signal: Int32) {
    setAction(signal, nil)
}

/// Installs `handler` for `signal` (nil: the default action), restarting interrupted system calls. Safe in a signal
/// handler (sigaction is async-signal-safe).
private func setAction(_ signal: Int32, _ handler: (@convention(c) (Int32) -> Void)?) {
    var action = sigaction()
    #if canImport(Darwin)
    action.__sigaction_u.__sa_handler = handler
    #else
    action.__sigaction_handler.sa_handler = handler
    #endif
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    sigaction(signal, &action, nil)
}

/// A run stopped by a signal (`Interruption`).
public struct Interrupted: Error, Sendable, Equatable {
    public let signal: Int32

    public init(signal: Int32) { self.signal = signal }

    /// `SIGINT`, `SIGTERM`, `SIGHUP`, else `signal N`.
    public var signalName: String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        default: "signal \(signal)"
        }
    }
}
