import Foundation
import LeanPulseCore

/// How the run talks: text or JSON lines on standard error; progress and the text format's info lines only on a
/// terminal, so that a run under cron is silent unless something needs a reader (warnings, errors: cron mails them);
/// JSON lines carry every event (a machine reads them); nothing but errors with `--quiet`.
public final class RunLog: @unchecked Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, json }

    let format: Format
    let quiet: Bool
    let isTerminal: Bool
    private let lock = NSLock()

    /// Where the lines go (standard error; a test's buffer).
    private let sink: (String) -> Void

    public convenience init(format: Format = .text, quiet: Bool = false) {
        self.init(format: format, quiet: quiet, isTerminal: isatty(STDERR_FILENO) == 1) { Self.writeStandardError($0) }
    }

    /// Writes to standard error with `write(2)`, dropping what cannot be written: a log reader that went away (a closed
    /// pipe: EPIPE, with SIGPIPE ignored by `leanpulse run`) must not end the run, and Foundation's `FileHandle.write`
    /// stops the process on any write error.
    static func writeStandardError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                #if canImport(Glibc)
                let n = Glibc.write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                #else
                let n = Darwin.write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                #endif
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
            }
        }
    }

    init(format: Format, quiet: Bool, isTerminal: Bool, sink: @escaping (String) -> Void) {
        self.format = format
        self.quiet = quiet
        self.isTerminal = isTerminal
        self.sink = sink
    }

    public func info(_ stage: String, _ message: String, fields: [String: String] = [:]) {
        guard !quiet, isTerminal || format == .json else { return }
        emit("info", stage, message, fields)
    }

    public func warning(_ stage: String, _ message: String) {
        guard !quiet else { return }
        emit("warning", stage, message, [:])
    }

    /// Always shown, `--quiet` or not.
    public func error(_ diagnostic: Diagnostic, stage: String = "run") {
        switch format {
        case .text: write(diagnostic.description + "\n")
        case .json: emit(diagnostic.severity.rawValue, stage, diagnostic.message, diagnostic.location.map(Self.fields) ?? [:])
        }
    }

    /// True when `progress` prints: a terminal, text format, not `--quiet` (so cron runs stay silent).
    public var showsProgress: Bool { !quiet && isTerminal && format == .text }

    /// A transient progress line (terminal and text format only).
    public func progress(_ text: String) {
        guard !quiet, isTerminal, format == .text else { return }
        write("\r\u{1B}[K" + text)
    }

    public func endProgress() {
        guard !quiet, isTerminal, format == .text else { return }
        write("\r\u{1B}[K")
    }

    /// A location as JSON fields: `file`, and `line` and `column` as numbers where they are known.
    static func fields(_ location: SourceLocation) -> [String: Any] {
        var fields: [String: Any] = ["file": location.file]
        if location.line > 0 { fields["line"] = location.line }
        if location.column > 0 { fields["column"] = location.column }
        return fields
    }

    private func emit(_ level: String, _ stage: String, _ message: String, _ fields: [String: Any]) {
        switch format {
        case .text:
            write("leanpulse: \(stage): \(message)\n")
        case .json:
            var object: [String: Any] = fields
            object["level"] = level
            object["stage"] = stage
            object["message"] = message
            object["time"] = ISO8601DateFormatter().string(from: Date())
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            write(String(decoding: data, as: UTF8.self) + "\n")
        }
    }

    private func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        sink(text)
    }
}
