import Foundation
import LeanPulseCore
import TestSupport
import Testing

@Suite(.removesTemporaryFiles) struct PipelineConfigTests {
    func write(_ text: String, name: String = "pipeline.yml") throws -> String {
        let dir = try temporaryFolder("lp-config")
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    let valid = """
        pipeline: acme
        title: "Acme"
        period: 2026-Q3
        store: ../Reports/leanpulse.sqlite
        organization:
          teams: data/teams.csv
        instrument: instruments/i.yml
        sources:
          - id: pulse
            kind: survey
            format: qualtrics-csv
            path: exports/pulse-*.csv
            fields: { respondent: ExternalReference, team: Team }
            items: { Q1: eng1 }
          - id: ideas
            kind: ideas
            format: xml
            record: /ideas/idea
            path: ideas.xml
            fields: { id: "@id", team: team, submitted: submitted }
        confidentiality: { min_respondents: 7, pseudonym_key_env: ACME_KEY }
        metrics: { favorable_aggregation: pooled, strength_threshold: 70, cycle_time_inclusive: false }
        reports: { dir: ../Reports/{period} }
        """

    @Test func resolvesPathsAgainstTheFileAndAppliesSettings() throws {
        let path = try write(valid)
        let base = PathResolver.directory(of: path)
        let config = try PipelineConfig.load(path: path)
        #expect(config.name == "acme")
        #expect(config.teamsPath == base + "/data/teams.csv")
        #expect(config.storePath == PathResolver.standardize(base + "/../Reports/leanpulse.sqlite"))
        #expect(config.sources.count == 2)
        #expect(config.sources[0].format == .qualtricsCSV)
        #expect(config.sources[0].items == ["Q1": "eng1"])
        #expect(config.sources[1].record == "/ideas/idea")
        #expect(config.metrics.minRespondents == 7)
        #expect(config.metrics.favorableAggregation == .pooled)
        #expect(config.metrics.strengthThreshold == 70)
        #expect(!config.metrics.cycleTimeInclusive)
        #expect(config.pseudonymKeyEnv == "ACME_KEY")
        #expect(config.reportsDirectory(for: Period("2026-Q3")!).hasSuffix("/Reports/2026-Q3"))
    }

    @Test func commandLineOverridesTheFile() throws {
        let path = try write(valid)
        let config = try PipelineConfig.load(path: path, periodOverride: "previous-quarter", storeOverride: "/tmp/x.sqlite",
                                             outOverride: "/tmp/out/{period}")
        #expect(config.periodSpec == "previous-quarter")
        #expect(config.storePath == "/tmp/x.sqlite")
        #expect(config.reportsDir == "/tmp/out/{period}")
    }

    @Test func locatesAnUnknownFormat() throws {
        let path = try write(valid.replacingOccurrences(of: "format: qualtrics-csv", with: "format: spss"))
        do {
            _ = try PipelineConfig.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.location?.line == 11)
            #expect(error.location?.column == 13)
            #expect(error.message.contains("format 'spss'"))
        }
    }

    @Test func locatesAWrongType() throws {
        let path = try write(valid.replacingOccurrences(of: "min_respondents: 7", with: "min_respondents: many"))
        do {
            _ = try PipelineConfig.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.location?.line == 21)
            #expect(error.message.contains("whole number"))
        }
    }

    @Test func reportsYAMLSyntaxErrorsWithLineAndColumn() throws {
        let path = try write("pipeline: a\nsources: [\n  - id: x\n")
        do {
            _ = try PipelineConfig.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.location?.line ?? 0 >= 2)
            #expect(error.description.hasPrefix(path + ":"))
        }
    }

    @Test func requiresTheContractKeys() throws {
        let path = try write("pipeline: a\ninstrument: i.yml\nsources: []\n")
        #expect(throws: Diagnostic.self) { try PipelineConfig.load(path: path) }
    }
}
