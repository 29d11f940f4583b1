import Crypto
import Foundation
import LeanPulseCore

/// sha256 of files and strings, streamed in 1 MiB chunks (memory stays flat).
enum FileDigest {
    static func sha256(file path: String) throws(PipelineError) -> (hex: String, bytes: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PipelineError(.failed, "cannot read the file", at: SourceLocation(file: path))
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
