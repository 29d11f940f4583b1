import Foundation
import LeanPulseCore

/// An exclusive advisory lock beside the store (`<store>.lock`): one run at a time per store.
/// The kernel releases it when the process ends, so a crashed run never leaves a stale lock.
final class StoreLock {
    private let fd: Int32

    /// Takes the lock or returns nil when another process holds it.
    init?(storePath: String) throws(PipelineError) {
        let path = storePath + ".lock"
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

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
