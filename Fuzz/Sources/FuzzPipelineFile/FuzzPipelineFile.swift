import Foundation
import LeanPulseCore

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-pipeline-\(getpid()).yml").path

/// The whole input is a pipeline file; loading it must return a configuration or a located diagnostic, never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipelineFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard overwrite(scratch, data, size) else { return 0 }
    do {
        _ = try PipelineConfig.load(path: scratch, periodOverride: size % 3 == 0 ? "2026-Q3" : nil)
    } catch {
        _ = error.description
    }
    return 0
}

/// Replaces the scratch file's bytes in place (FileManager's atomic write would cost a rename per run).
func overwrite(_ path: String, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var done = 0
    while done < count {
        let n = write(fd, bytes + done, count - done)
        if n <= 0 { return false }
        done += n
    }
    return true
}
