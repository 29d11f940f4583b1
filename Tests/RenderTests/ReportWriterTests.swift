import Foundation
import LeanPulseCore
import Testing
@testable import Render

@Suite struct ReportWriterTests {
    @Test func writesEveryOutput() throws {
        let folder = try renderFixture()
        defer { folder.remove() }
        let files = folder.files()
        for name in ["index.html", "methods.html", "team_metrics.csv", "data_quality.csv", "suppression_log.csv",
                     "improvement_flow.csv", "manifest.json"] {
            #expect(files.contains(name), "\(name)")
        }
        for u in ReportFixture.units { #expect(files.contains("teams/" + TeamPageName.fileName(for: u.teamId))) }
    }

    @Test func manifestDescribesTheRun() throws {
        let folder = try renderFixture()
        defer { folder.remove() }
        let data = try folder.bytes("manifest.json")
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["period"] as? String == "2026-Q3")
        #expect(json["pipeline"] as? String == "acme-lean-pulse")
        #expect(json["toolVersion"] as? String == "0.1.0")
        #expect(json["configHash"] as? String == String(repeating: "c", count: 64))
        let counts = try #require(json["counts"] as? [String: Any])
        #expect(counts["units"] as? Int == 7)
        #expect(counts["suppressedUnits"] as? Int == 2)
        let findings = try #require(counts["findings"] as? [String: Any])
        #expect(findings["error"] as? Int == 1 && findings["warning"] as? Int == 1 && findings["info"] as? Int == 1)
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        #expect(inputs.first?["path"] as? String == "exports/pulse, Q3.csv")
        let imports = try #require(json["importCounts"] as? [[String: Any]])
        #expect(imports.first?["superseded"] as? Int == 7)
        let timings = try #require(json["timings"] as? [[String: Any]])
        #expect(timings.map { $0["stage"] as? String } == ["ingest", "compute", "render"])
        let outputs = try #require(json["outputs"] as? [[String: Any]])
        #expect(outputs.count == folder.files().count - 1)
        for o in outputs {
            let path = try #require(o["path"] as? String)
            #expect(o["bytes"] as? Int == (try folder.bytes(path)).count, "\(path)")
        }
    }

    @Test func optionsChooseTheOutputs() throws {
        let csvOnly = try renderFixture(options: RenderOptions(html: false, csv: true))
        defer { csvOnly.remove() }
        #expect(csvOnly.files() == ["data_quality.csv", "improvement_flow.csv", "item_scores.csv", "manifest.json", "suppression_log.csv", "team_metrics.csv"])
        let htmlOnly = try renderFixture(options: RenderOptions(html: true, csv: false))
        defer { htmlOnly.remove() }
        #expect(!htmlOnly.files().contains { $0.hasSuffix(".csv") })
        #expect(htmlOnly.files().contains("manifest.json"))
        #expect(!(try htmlOnly.read("index.html")).contains("team_metrics.csv"))
    }

    /// The terminal's progress: every page counted once, the last call at all of them with their bytes; and once an
    /// interruption is requested no page is started and `Interrupted` comes before the manifest (session 16).
    @Test func progressCountsEveryPageAndAnInterruptionStopsTheWrite() throws {
        final class Calls: @unchecked Sendable {
            let lock = NSLock()
            var seen: [(written: Int, of: Int, bytes: Int)] = []
        }
        let calls = Calls()
        let folder = try TempFolder()
        defer { folder.remove() }
        let report = ReportWriter.prepare(ReportFixture.input, options: RenderOptions(), dataset: ReportFixture.dataset)
        try ReportWriter.write(report, to: folder.path) { written, of, bytes in
            calls.lock.withLock { calls.seen.append((written, of, bytes)) }
        }
        let pages = folder.files().filter { $0.hasSuffix(".html") }
        let seen = calls.lock.withLock { calls.seen }
        #expect(pages.count == ReportFixture.units.count + 3)
        #expect(seen.allSatisfy { $0.of == pages.count })
        let last = try #require(seen.max { $0.written < $1.written })
        #expect(last.written == pages.count)
        #expect(last.bytes == (try pages.reduce(0) { $0 + (try folder.bytes($1)).count }))

        let stopped = try TempFolder()
        defer { stopped.remove() }
        let interruption = Interruption()
        interruption.request(signal: SIGTERM)
        #expect(throws: Interrupted(signal: SIGTERM)) { try ReportWriter.write(report, to: stopped.path, interruption: interruption) }
        #expect(stopped.files().isEmpty)
    }

    @Test func missingFolderIsAnError() {
        #expect(throws: RenderError.self) {
            try ReportWriter.write(ReportFixture.input, to: "/nonexistent/leanpulse-render", options: RenderOptions())
        }
    }

    @Test func overrideTemplatesReplaceBuiltIns() throws {
        let templates = try TempFolder()
        defer { templates.remove() }
        try "<footer>Restyled by {{reportTitle}}</footer></body></html>\n"
            .write(toFile: templates.path + "/page-footer.mustache", atomically: true, encoding: .utf8)
        let folder = try renderFixture(options: RenderOptions(templatesDirectory: templates.path))
        defer { folder.remove() }
        let index = try folder.read("index.html")
        #expect(index.contains("<footer>Restyled by Acme lean leadership pulse &lt;Q3&gt;</footer>"))
        #expect(index.contains("Autonomy and accountability"))
    }

    @Test func brokenOverrideTemplateIsReported() throws {
        let templates = try TempFolder()
        defer { templates.remove() }
        try "line one\n{{#open}}never closed\n".write(toFile: templates.path + "/index.mustache", atomically: true, encoding: .utf8)
        let folder = try TempFolder()
        defer { folder.remove() }
        #expect(throws: RenderError.self) {
            try ReportWriter.write(ReportFixture.input, to: folder.path, options: RenderOptions(templatesDirectory: templates.path))
        }
    }
}
