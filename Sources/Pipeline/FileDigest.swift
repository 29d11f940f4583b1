import Crypto
import Foundation
import LeanPulseCore

/// sha256 of files and strings, streamed in 1 MiB chunks (memory stays flat).
enum FileDigest {
    static func sha256(file path: String) throws(PipelineError) -> (hex: String, bytes: Int64) {
        // A folder or a pipe would fail below with Foundation's "The operation could not be completed"; a pipe is
        // also read twice (hash, then import), which it cannot be.
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR:
                throw PipelineError(.failed, "is a folder, not a file (a source's path may be a glob such as folder/*.csv)",
                                    at: SourceLocation(file: path))
            default:
                throw PipelineError(.failed, "is not a regular file (a pipe or device cannot be read twice: copy it to a file first)",
                                    at: SourceLocation(file: path))
            }
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PipelineError(.failed, "cannot read the file: \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total: Int64 = 0
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw PipelineError(.failed, "cannot read the file: \(error.localizedDescription)", at: SourceLocation(file: path))
            }
            if chunk.isEmpty { break }
            total += Int64(chunk.count)
            hasher.update(data: chunk)
        }
        return (hasher.finalize().hexText, total)
    }

    static func sha256(_ text: String) -> String { SHA256.hash(data: Array(text.utf8)).hexText }
}
