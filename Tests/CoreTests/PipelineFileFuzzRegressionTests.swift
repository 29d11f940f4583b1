import Foundation
import LeanPulseCore
import TestSupport
import Testing

/// Inputs the pipeline-file fuzzer (Fuzz/FuzzPipelineFile) met: each must end in a located diagnostic, quickly.
@Suite(.removesTemporaryFiles) struct PipelineFileFuzzRegressionTests {
    func write(_ bytes: [UInt8]) throws -> String {
        let path = temporaryPath("lp-fuzz", suffix: ".yml")
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw CocoaError(.fileWriteUnknown) }
        return path
    }

    func diagnostic(_ bytes: [UInt8]) throws -> Diagnostic? {
        let path = try write(bytes)
        do {
            _ = try PipelineConfig.load(path: path)
            Issue.record("expected a diagnostic")
            return nil
        } catch {
            #expect(error.location?.file == path, "\(error)")
            return error
        }
    }

    // The fuzzer's only artifact: an empty file (reported as a 4 KiB leak inside Foundation's Data(contentsOf:), not ours).
    @Test func emptyFile() throws {
        #expect(try diagnostic([]) != nil)
    }

    @Test func invalidUTF8AndNUL() throws {
        #expect(try diagnostic(Array("pipeline: a\ntitle: ".utf8) + [0xFF, 0xFE, 0x00] + Array("\n".utf8)) != nil)
    }

    @Test func yamlAliasBombEndsQuickly() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 { text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        text += "pipeline: *a8\n"
        let start = Date()
        _ = try? PipelineConfig.load(path: try write(Array(text.utf8)))
        #expect(Date().timeIntervalSince(start) < 5)
    }
}
