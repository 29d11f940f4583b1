import Foundation
import LeanPulseCore

let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-pipeline-\(getpid()).yml").path

/// The whole input is a pipeline file; loading it must return a configuration or a located diagnostic, never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPipelineFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard FileManager.default.createFile(atPath: scratch, contents: Data(bytes: data, count: size)) else { return 0 }
    do {
        _ = try PipelineConfig.load(path: scratch, periodOverride: size % 3 == 0 ? "2026-Q3" : nil)
    } catch {
        _ = error.description
    }
    return 0
}
