import Foundation
import LeanPulseCore
@testable import Render

/// A fresh empty folder under the system temp folder, removed by `remove()`.
struct TempFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("render-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path + "/" + relative, encoding: .utf8)
    }

    func bytes(_ relative: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path + "/" + relative))
    }

    /// Every file below the folder, as relative paths, sorted.
    func files() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: path)
        var out: [String] = []
        while let next = enumerator?.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path + "/" + next, isDirectory: &isDir), !isDir.boolValue { out.append(next) }
        }
        return out.sorted()
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Writes the fixture report once per call into a new temp folder, which the caller removes (`defer { folder.remove() }`).
func renderFixture(options: RenderOptions = RenderOptions(), input: ReportInput = ReportFixture.input,
                   dataset: PeriodDataset? = ReportFixture.dataset) throws -> TempFolder {
    let folder = try TempFolder()
    do {
        try ReportWriter.write(input, to: folder.path, options: options, dataset: dataset)
    } catch {
        folder.remove()
        throw error
    }
    return folder
}
