import Foundation
import Pipeline
import SampleGenerator
import Testing

/// SampleData/ is what `leanpulse sample --out SampleData` writes with the default options: regenerating it
/// must give the committed bytes (the generator is deterministic, and nobody edited the files by hand).
struct SampleDataTests {
    @Test func committedSampleDataIsWhatTheGeneratorWrites() throws {
        for (path, bytes) in SampleGenerator.files(options: SampleOptions()) {
            let committed = try Data(contentsOf: URL(fileURLWithPath: SampleWorkspace.projectRoot + "/SampleData/" + path))
            #expect(committed == Data(bytes), "SampleData/\(path) differs from the generator's output")
        }
    }
}
