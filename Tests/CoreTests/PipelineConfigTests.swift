import Foundation
@testable import LeanPulseCore
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
        #expect(config.sources[0].itemLocations["Q1"] == SourceLocation(file: path, line: 14, column: 14))
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

    /// The message names what the key wants: a list where a mapping was written, a single value where a mapping was.
    @Test(arguments: [
        ("instrument: instruments/i.yml", "instrument: { path: instruments/i.yml }", "'instrument' must be a single value (text or a number)"),
        ("pipeline: acme", "pipeline: [a, b]", "'pipeline' must be a single value (text or a number)"),
    ])
    func namesTheTypeAKeyWants(from: String, to: String, message: String) throws {
        let path = try write(valid.replacingOccurrences(of: from, with: to))
        do {
            _ = try PipelineConfig.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == message)
        }
        let sources = valid[valid.range(of: "sources:")!.lowerBound..<valid.range(of: "confidentiality:")!.lowerBound]
        let listless = try write(valid.replacingOccurrences(of: String(sources), with: "sources: { id: s }\n"))
        #expect(throws: Diagnostic.self) { try PipelineConfig.load(path: listless) }
        do { _ = try PipelineConfig.load(path: listless) } catch { #expect(error.message == "'sources' must be a list") }
    }

    /// A key written twice is reported at its second writing (where the mistake usually is), naming the first.
    @Test func aDuplicateKeyIsReportedWhereItIsWrittenAgain() throws {
        let lines = valid.split(separator: "\n").map(String.init)
        let path = try write((lines + ["period: 2026-Q2"]).joined(separator: "\n"))
        do {
            _ = try PipelineConfig.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.location?.line == lines.count + 1)
            #expect(error.message == "duplicate key 'period' (first on line 3)")
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

    /// A misspelt key is an error at the key itself, not a silent default (DECISIONS 34).
    @Test(arguments: [
        // (replace, with, line, column, message part)
        ("title: \"Acme\"", "titel: \"Acme\"", 2, 1, "unknown key 'titel' in the pipeline file (did you mean 'title'?)"),
        ("    path: ideas.xml", "    path: ideas.xml\n    delimter: \";\"", 20, 5, "unknown key 'delimter' in a source (did you mean 'delimiter'?)"),
        ("{ min_respondents: 7,", "{ min_respondent: 10,", 21, 20, "unknown key 'min_respondent' in 'confidentiality' (did you mean 'min_respondents'?)"),
        ("{ dir: ../Reports/{period} }", "{ dri: ../Reports/{period} }", 23, 12, "unknown key 'dri' in 'reports' (did you mean 'dir'?)"),
        ("organization:\n  teams:", "organization:\n  units:", 6, 3, "unknown key 'units' in 'organization'; its keys are teams"),
        ("respondent: ExternalReference", "respondnet: ExternalReference", 13, 15,
         "source 'pulse': unknown key 'respondnet' in 'fields' of a survey source (did you mean 'respondent'?)"),
        ("{ id: \"@id\", team: team, submitted: submitted }", "{ id: \"@id\", team: team, submitted: submitted, enps: x }", 20, 60,
         "source 'ideas': unknown key 'enps' in 'fields' of an ideas source; its keys are id, implemented, rejected, status, submitted, submitter, team"),
    ])
    func locatesAnUnknownKey(_ replace: String, _ with: String, _ line: Int, _ column: Int, _ message: String) throws {
        #expect(valid.contains(replace))
        let path = try write(valid.replacingOccurrences(of: replace, with: with))
        do {
            _ = try PipelineConfig.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == message)
            #expect(error.location?.line == line)
            #expect(error.location?.column == column)
        }
    }

    @Test func everyContractKeyIsKnown() throws {
        // DESIGN.md's example keys, every optional one set (the contract must never read as a typo).
        let path = try write(valid + """

            timezone: Europe/Oslo
            quality: { max_rejected_ratio: 0.02 }
            team_map: { old: new }
            branding: { accent: "#0b6e4f" }
            """)
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "pseudonym_key_env: ACME_KEY }", with: "pseudonym_key_env: ACME_KEY, min_comment_respondents: 10, pseudonym_key_file: k }")
            .replacingOccurrences(of: "cycle_time_inclusive: false }", with: "cycle_time_inclusive: false, relative_weights: true }")
            .replacingOccurrences(of: "{ dir: ../Reports/{period} }", with: "{ dir: ../Reports/{period}, html: true, csv: true }")
            .replacingOccurrences(of: "    fields: { respondent: ExternalReference, team: Team }\n", with: "")
            .replacingOccurrences(of: "    items: { Q1: eng1 }", with: """
                    items: { Q1: eng1 }
                    period: 2026-Q3
                    delimiter: ";"
                    encoding: windows-1252
                    date_format: "%d.%m.%Y"
                    timezone: UTC
                    include_previews: false
                    include_unfinished: false
                    fields: { respondent: R, team: T, submitted: S, enps: E, comment: C }
                """)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try PipelineConfig.load(path: path)
        #expect(config.sources[0].fields["enps"] == "E")
        #expect(config.sources[0].dateFormat == "%d.%m.%Y")
        #expect(config.teamMap.entries == ["old": "new"])
        #expect(config.metrics.relativeWeights)
    }

    @Test func aStoreIsAFileOrAPostgresURL() throws {
        let path = try write(valid.replacingOccurrences(of: "store: ../Reports/leanpulse.sqlite", with: "store: mysql://lean@db/pulse"))
        do {
            _ = try PipelineConfig.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.location?.line == 4)
            #expect(error.message.contains("a mysql server is not supported"))
        }
        #expect(throws: Diagnostic.self) { try PipelineConfig.load(path: try write(valid), storeOverride: "mysql://localhost/x") }
        // A PostgreSQL URL is kept as written, not resolved as a path.
        let url = "postgresql://lean@db:5433/pulse?sslmode=disable"
        let config = try PipelineConfig.load(path: try write(valid.replacingOccurrences(of: "store: ../Reports/leanpulse.sqlite",
                                                                                        with: "store: \(url)")))
        #expect(config.storePath == url)
        #expect(try config.storeLocation == .postgres(PostgresURL(parsing: url)))
        #expect(try PipelineConfig.load(path: try write(valid), storeOverride: "postgres:///x?host=/tmp/pg").storePath == "postgres:///x?host=/tmp/pg")
        // A path with a colon is still a path.
        #expect(try PipelineConfig.load(path: try write(valid), storeOverride: "/tmp/a:b/s.sqlite").storePath == "/tmp/a:b/s.sqlite")
    }

    @Test func aPasswordIsNeverReadFromThePipelineFile() throws {
        let path = try write(valid.replacingOccurrences(of: "store: ../Reports/leanpulse.sqlite", with: "store: postgresql://lean:s3cret@db/pulse"))
        do {
            _ = try PipelineConfig.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.location?.line == 4)
            #expect(error.message.contains("PGPASSWORD"))
            #expect(!error.message.contains("s3cret"))
        }
        // Typed on the command line, it is the user's choice; messages still never show it.
        let config = try PipelineConfig.load(path: try write(valid), storeOverride: "postgresql://lean:s3cret@db/pulse")
        #expect(config.storeDisplay == "postgresql://lean@db/pulse")
    }

    @Test func postgresURLsParseAsLibpqDoes() throws {
        let socket = try PostgresURL(parsing: "postgresql:///pulse?host=/run/pg&port=5433&user=lean")
        #expect(socket.host == "/run/pg" && socket.isUnixSocket && socket.port == 5433 && socket.user == "lean" && socket.database == "pulse")
        let tcp = try PostgresURL(parsing: "postgres://a%40b:p%3Aw@[::1]:6000/d?password=x&sslmode=require")
        #expect(tcp.user == "a@b" && tcp.password == "x" && tcp.host == "::1" && tcp.port == 6000 && tcp.sslMode == .require)
        #expect(!tcp.redacted.contains("p%3Aw") && !tcp.redacted.contains("password"))
        #expect(tcp.redacted == "postgres://a%40b@[::1]:6000/d?sslmode=require")
        #expect(throws: PostgresURL.Invalid.self) { try PostgresURL(parsing: "postgresql://db:99999/x") }
        #expect(throws: PostgresURL.Invalid.self) { try PostgresURL(parsing: "postgresql://db/x?sslmode=maybe") }
        #expect(throws: PostgresURL.Invalid.self) { try PostgresURL(parsing: "postgresql://db/x?options=-c") }
    }

    @Test func suggestsOnlyNearKeys() {
        #expect(YAMLKeys.nearest("sourcse", among: ["sources", "store"]) == "sources")
        #expect(YAMLKeys.nearest("Title", among: ["title"]) == "title")
        #expect(YAMLKeys.nearest("xyz", among: ["title", "store"]) == nil)
        #expect(YAMLKeys.nearest("teem", among: ["team", "id"]) == "team")
        // Distances, checked by hand: one transposition, one deletion, kitten -> sitting (3).
        let scalars = { (s: String) in Array(s.unicodeScalars) }
        #expect(YAMLKeys.editDistance(scalars("recieve"), scalars("receive")) == 1)
        #expect(YAMLKeys.editDistance(scalars("dir"), scalars("di")) == 1)
        #expect(YAMLKeys.editDistance(scalars("kitten"), scalars("sitting")) == 3)
        #expect(YAMLKeys.editDistance(scalars(""), scalars("abc")) == 3)
    }

    @Test func requiresTheContractKeys() throws {
        let path = try write("pipeline: a\ninstrument: i.yml\nsources: []\n")
        #expect(throws: Diagnostic.self) { try PipelineConfig.load(path: path) }
    }
}
