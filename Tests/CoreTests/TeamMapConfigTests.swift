import Foundation
import LeanPulseCore
import TestSupport
import Testing

/// `team_map` and `metrics.relative_weights` in the pipeline file: inline or a CSV file, errors located.
@Suite(.removesTemporaryFiles) struct TeamMapConfigTests {
    func write(_ text: String, files: [String: String] = [:]) throws -> String {
        let dir = try temporaryFolder("lp-teammap")
        for (name, content) in files { try content.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        let path = dir + "/pipeline.yml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func pipeline(_ extra: String) -> String {
        """
        pipeline: acme
        organization:
          teams: teams.csv
        instrument: i.yml
        sources:
          - id: pulse
            kind: survey
            path: pulse.csv
        \(extra)
        """
    }

    @Test func inlineMapAndRelativeWeights() throws {
        let path = try write(pipeline("team_map: { ops-old: ops, 42: sales }\nmetrics: { relative_weights: true }"))
        let config = try PipelineConfig.load(path: path)
        #expect(config.teamMap == TeamMap(["ops-old": "ops", "42": "sales"]))
        #expect(config.teamMap.map("ops-old") == "ops" && config.teamMap.map("hr") == "hr")
        #expect(config.metrics.relativeWeights)
        #expect(config.teamMapLocations["ops-old"]?.line == 9)
    }

    @Test func csvFileWithHeaderAndLocations() throws {
        let path = try write(pipeline("team_map: reorg.csv"), files: ["reorg.csv": "old_id,new_id\nops-old,ops\r\n\n42 , sales\n"])
        let config = try PipelineConfig.load(path: path)
        #expect(config.teamMap == TeamMap(["ops-old": "ops", "42": "sales"]))
        #expect(config.teamMapLocations["42"] == SourceLocation(file: PathResolver.directory(of: path) + "/reorg.csv", line: 4, column: 1))
        #expect(!config.metrics.relativeWeights)
    }

    @Test func badRowsAreLocated() throws {
        let dir: (String) -> String = { PathResolver.directory(of: $0) + "/reorg.csv" }
        var path = try write(pipeline("team_map: reorg.csv"), files: ["reorg.csv": "a,b\nc\n"])
        #expect(throws: Diagnostic.self) { try PipelineConfig.load(path: path) }
        do { _ = try PipelineConfig.load(path: path) } catch {
            #expect(error.location == SourceLocation(file: dir(path), line: 2, column: 1))
            #expect(error.message.contains("two fields"))
        }
        path = try write(pipeline("team_map: reorg.csv"), files: ["reorg.csv": "a,b\nc,\n"])
        do { _ = try PipelineConfig.load(path: path); Issue.record("no error") } catch {
            #expect(error.location == SourceLocation(file: dir(path), line: 2, column: 3))
        }
        path = try write(pipeline("team_map: reorg.csv"), files: ["reorg.csv": "a,b\na,c\n"])
        do { _ = try PipelineConfig.load(path: path); Issue.record("no error") } catch {
            #expect(error.message.contains("mapped twice") && error.location?.line == 2)
        }
        path = try write(pipeline("team_map: missing.csv"))
        do { _ = try PipelineConfig.load(path: path); Issue.record("no error") } catch {
            #expect(error.location?.file == path && error.location?.line == 9)
        }
        path = try write(pipeline("team_map: [a, b]"))
        do { _ = try PipelineConfig.load(path: path); Issue.record("no error") } catch {
            #expect(error.location?.file == path && error.location?.line == 9, "\(error)")
            #expect(error.message.contains("team_map"), "\(error.message)")
        }
    }
}
