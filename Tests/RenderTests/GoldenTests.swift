import Foundation
import Testing
@testable import Render

/// Byte-for-byte comparison of rendered outputs with the checked-in files in `Golden/`.
/// Re-record with `LEANPULSE_RECORD_GOLDEN=1 swift test --filter RenderTests`.
@Suite struct GoldenTests {
    /// Output path -> golden file name.
    static let cases: [(output: String, golden: String)] = [
        ("team_metrics.csv", "team_metrics.csv"),
        ("data_quality.csv", "data_quality.csv"),
        ("suppression_log.csv", "suppression_log.csv"),
        ("improvement_flow.csv", "improvement_flow.csv"),
        ("index.html", "index.html"),
        ("methods.html", "methods.html"),
        ("data.html", "data.html"),
        ("teams/acme.html", "team-acme.html"),
        ("teams/ops.html", "team-ops.html"),
        ("teams/ops-a-1.html", "team-ops-a-1.html"),
        ("teams/r%26d%2Feu.html", "team-r-d-eu.html"),
    ]

    static var recording: Bool { ProcessInfo.processInfo.environment["LEANPULSE_RECORD_GOLDEN"] == "1" }

    static func sourceGoldenFolder(_ file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Golden")
    }

    static func goldenURL(_ name: String) -> URL {
        if !recording, let url = Bundle.module.resourceURL?.appendingPathComponent("Golden").appendingPathComponent(name),
           FileManager.default.fileExists(atPath: url.path) { return url }
        return sourceGoldenFolder().appendingPathComponent(name)
    }

    @Test(arguments: cases.map(\.output))
    func matchesGolden(_ output: String) throws {
        let folder = try renderFixture(input: ReportFixture.fullInput)
        defer { folder.remove() }
        let golden = Self.cases.first { $0.output == output }!.golden
        let actual = try folder.bytes(output)
        if Self.recording {
            try actual.write(to: Self.sourceGoldenFolder().appendingPathComponent(golden))
            return
        }
        let expected = try Data(contentsOf: Self.goldenURL(golden))
        if actual != expected {
            let a = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let e = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
            Issue.record("\(output) differs from Golden/\(golden) at line \(line + 1):\n got: \(line < a.count ? String(a[line]) : "<end>")\nwant: \(line < e.count ? String(e[line]) : "<end>")")
        }
    }
}
