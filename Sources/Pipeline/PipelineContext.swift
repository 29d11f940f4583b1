import Compute
import Foundation
import Ingest
import LeanPulseCore
import Normalize

/// What every step of a run shares once the configuration is read: the resolved pipeline, the
/// instrument, the organisation, the period and the pseudonym key.
struct PipelineContext {
    let config: PipelineConfig
    let instrument: Instrument
    let instrumentHash: String
    let organization: Organization
    /// What records are resolved against, made once: `organization` plus the `team_map` old ids, so that an export of an
    /// earlier period re-imported after a reorganisation keeps its old ids (mapped at compute time). Normalize resolves
    /// team references against it, and the runner loads the ideas and the earlier periods onto it.
    let normalizationOrganization: Organization
    let organizationHash: String
    /// What the organisation file's reading found that does not stop a run (several top-level teams).
    let organizationFindings: [DataQualityFinding]
    let period: Period
    let zone: TimeZone
    let pseudonymizer: Pseudonymizer?
    /// A fingerprint of the key (not the key): pseudonyms change with it, so imports must too.
    let keyFingerprint: String
    /// The fingerprint without a key (a pipeline that maps no employee ids needs none).
    static let noKey = "no-key"
    /// Whether a pseudonym key was read (from the environment, or a key file that is not blank).
    var hasPseudonymKey: Bool { keyFingerprint != Self.noKey }

    static func load(_ options: RunOptions, requireKey: Bool, log: RunLog) throws(PipelineError) -> PipelineContext {
        let config: PipelineConfig
        do {
            config = try PipelineConfig.load(path: options.pipelinePath, periodOverride: options.period,
                                             storeOverride: options.store, outOverride: options.out)
        } catch {
            throw PipelineError(.invalidConfiguration, error, step: "configuration")
        }
        let zone = TimeZone(identifier: config.timezone) ?? TimeZone(identifier: "UTC")!
        let today = options.today ?? Timestamp(epochSeconds: Int64(Date().timeIntervalSince1970)).day(in: zone)
        guard let period = Period.resolve(config.periodSpec, today: today) else {
            throw PipelineError(.invalidConfiguration, "period '\(config.periodSpec)' is not a quarter like 2026-Q3",
                                at: config.periodLocation, step: "configuration")
        }
        // A quarter that has not begun has no data yet: its report would be empty pages published with exit 0.
        guard period.start <= today else {
            throw PipelineError(.invalidConfiguration, "period \(period) has not begun (today is \(today) in \(config.timezone)): "
                                + "nothing can be reported for it yet", at: config.periodLocation, step: "configuration")
        }
        try ReportPublisher.checkDestination(config.reportsDirectory(for: period), config: config)
        try checkReferencedFile(config.instrumentPath, named: "instrument", at: config.instrumentLocation, config)
        try checkReferencedFile(config.teamsPath, named: "organization.teams", at: config.teamsLocation, config)
        let instrument: Instrument
        do { instrument = try Instrument.load(path: config.instrumentPath) } catch {
            throw PipelineError(.invalidConfiguration, error, step: "configuration")
        }
        let instrumentHash = try FileDigest.sha256(file: config.instrumentPath).hex
        // `items:` names instrument items: a wrong one is the pipeline file's error (exit 2), found before any export is read.
        // So is a `date_format` with a field the parser lacks (as text it would reject every date of the export).
        for source in config.sources {
            if let problem = source.unknownItem(in: instrument) { throw PipelineError(.invalidConfiguration, problem, step: "configuration") }
            do { _ = try CSVEncoding.declared(by: source) } catch {
                throw PipelineError(.invalidConfiguration, "source '\(source.id)': " + error.reason, at: error.location, step: "configuration")
            }
            if let format = source.dateFormat {
                do { try TimestampParser.check(format: format) } catch {
                    var located = error
                    located.location = located.location ?? source.location
                    throw PipelineError(.invalidConfiguration, "source '\(source.id)': " + located.message, at: located.location,
                                        step: "configuration")
                }
            }
        }

        let needsKey = config.sources.contains { $0.fields["respondent"] != nil || $0.fields["submitter"] != nil }
        var pseudonymizer: Pseudonymizer?
        var fingerprint = Self.noKey
        if let key = try readKey(config) {
            pseudonymizer = Pseudonymizer(key: key)
            fingerprint = Pseudonymizer(key: key).pseudonym("leanpulse-key-fingerprint")
        } else if needsKey {
            let message = "a source maps employee ids (respondent or submitter) but no pseudonym key is set: export \(config.pseudonymKeyEnv)=<secret>"
                + (config.pseudonymKeyFile.map { FileManager.default.fileExists(atPath: $0) ? " or write the secret into \($0) (it is empty)" : " or create \($0)" } ?? "")
                + " (keep the same secret for every run, or respondents cannot be followed across periods)"
            if requireKey { throw PipelineError(.invalidConfiguration, message, step: "configuration") }
            log.warning("configuration", message)
            pseudonymizer = Pseudonymizer(key: UUID().uuidString)
        }

        let (organization, organizationHash, organizationFindings) = try loadOrganization(config)
        // team_map's new ids must be units of this period's organisation.
        for (old, new) in config.teamMap.entries.sorted(by: { $0.key < $1.key }) where organization.index(of: new) == nil {
            throw PipelineError(.invalidConfiguration,
                                "team_map maps '\(old)' onto '\(new)', which is not in the organisation file \(config.teamsPath)",
                                at: config.teamMapLocations[old] ?? SourceLocation(file: config.pipelinePath), step: "configuration")
        }
        return PipelineContext(config: config, instrument: instrument, instrumentHash: instrumentHash, organization: organization,
                               normalizationOrganization: PeriodHistory.loadingOrganization(organization, teamMap: config.teamMap),
                               organizationHash: organizationHash, organizationFindings: organizationFindings, period: period, zone: zone, pseudonymizer: pseudonymizer,
                               keyFingerprint: fingerprint)
    }

    /// A file the pipeline file names (instrument, organisation) must be a file: else the error is the pipeline file's,
    /// at the key that names it (exit 2).
    private static func checkReferencedFile(_ path: String, named key: String, at location: SourceLocation?,
                                            _ config: PipelineConfig) throws(PipelineError) {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        guard !exists || isFolder.boolValue else { return }
        throw PipelineError(.invalidConfiguration, "\(key) '\(path)' \(exists ? "is a folder, not a file" : "does not exist")",
                            at: location ?? SourceLocation(file: config.pipelinePath), step: "configuration")
    }

    private static func readKey(_ config: PipelineConfig) throws(PipelineError) -> String? {
        if let value = ProcessInfo.processInfo.environment[config.pseudonymKeyEnv], !value.isEmpty { return value }
        guard let file = config.pseudonymKeyFile, FileManager.default.fileExists(atPath: file) else { return nil }
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw PipelineError(.invalidConfiguration, "cannot read the pseudonym key file", at: SourceLocation(file: file), step: "configuration")
        }
        let key = text.trimmingSpaces
        return key.isEmpty ? nil : key
    }

    private static func loadOrganization(_ config: PipelineConfig) throws(PipelineError) -> (Organization, String, [DataQualityFinding]) {
        let path = config.teamsPath  // a file: checked with the configuration (`checkReferencedFile`)
        let hash = try FileDigest.sha256(file: path).hex
        let source = SourceConfig(id: "organization", kind: .survey, format: .csv, path: path,
                                  location: SourceLocation(file: config.pipelinePath))
        do {
            let reader = try SourceReading.open(source: source, file: path, fieldPaths: [])
            var records: [SourceRecord] = []
            while let record = try reader.next() { records.append(record) }
            if let bad = reader.findings.first(where: { $0.severity == .error }) {
                throw Diagnostic(.error, bad.message, at: bad.location)
            }
            let (units, findings) = try OrganizationReader.read(header: reader.header, records: records, file: path)
            do {
                return (try Organization(units: units), hash, findings)
            } catch {
                throw Diagnostic(.error, error.message, at: SourceLocation(file: path))
            }
        } catch let error as Diagnostic {
            throw PipelineError(.failed, error, step: "organization")
        } catch let error as any LocatedError {
            throw PipelineError(.failed, error.diagnostic, step: "organization")
        } catch {
            throw PipelineError(.failed, "cannot read the organisation file: \(error)", at: SourceLocation(file: path), step: "organization")
        }
    }
}
