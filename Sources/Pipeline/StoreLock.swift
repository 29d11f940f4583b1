import Foundation
import LeanPulseCore

/// An exclusive advisory lock beside the store (`<store>.lock`): one run at a time per store.
/// The kernel releases it when the process ends, so a crashed run never leaves a stale lock.
final class StoreLock {
    private let fd: Int32

    /// Takes the lock or returns nil when another process holds it.
    init?(storePath: String) throws(PipelineError) {
        // Beside the file the store path leads to: a symbolic link to the store (`current.sqlite`) takes the same lock
        // (the audit's second run through a link got past the lock and failed inside SQLite, exit 1 instead of 75).
        let path = Self.resolved(storePath) + ".lock"
        do {
            try FileManager.default.createDirectory(atPath: PathResolver.directory(of: path), withIntermediateDirectories: true)
        } catch {
            throw PipelineError(.failed, "cannot create the store's folder: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PipelineError(.failed, "cannot open the lock file: \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        self.fd = fd
    }

    /// The path with symbolic links resolved (`realpath`), as given when it does not exist yet.
    static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
