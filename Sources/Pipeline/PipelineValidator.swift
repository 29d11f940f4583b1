import Foundation
import LeanPulseCore
import Normalize

/// `leanpulse validate`: reads the configuration and every input as a run would, prints per source what
/// was detected and found, and writes nothing (no store, no lock, no report).
public struct PipelineValidator {
    public let options: RunOptions
    public let log: RunLog

    public init(options: RunOptions, log: RunLog) {
        self.options = options
        self.log = log
    }

    /// Prints the report to standard output (not with `--quiet`: then only the errors, on standard error, and the exit
    /// code speak); returns 0 when a run would go ahead, 1 when an input is broken, 2 when the configuration is invalid.
    public func validate() -> ExitCode {
        var out = ""
        defer { if !options.quiet { FileHandle.standardOutput.write(Data(out.utf8)) } }
        return validate(report: &out)
    }

    /// `validate()` with the report written to `out` instead of standard output.
    public func validate(report out: inout String) -> ExitCode {
        let context: PipelineContext
        do {
            context = try PipelineContext.load(options, requireKey: false, log: log)
        } catch {
            log.error(error.diagnostic, stage: error.step)
            return error.exitCode
        }
        let config = context.config
        out += "pipeline \(config.name): \(config.sources.count) sources, period \(context.period)\n"
        out += "  instrument \(context.instrument.id) v\(context.instrument.version): \(context.instrument.items.count) items, "
            + "\(context.instrument.factors.count) factors\n"
        out += "  organisation \(config.teamsPath): \(context.organization.count) units\n"
        for f in context.organizationFindings {
            out += "    \(f.location): \(f.severity.rawValue): [\(f.code)] \(f.message)\n"
        }
        out += "  store \(config.storeDisplay) (not opened), reports \(config.reportsDirectory(for: context.period)) (not written)\n"
        var exit = ExitCode.published
        // As `run` checks before its import (session 18's audit: validate said 0 where run failed on a read-only folder).
        let reports = config.reportsDirectory(for: context.period)
        if let problem = ReportPublisher.writeProblem(reports) {
            log.error(Diagnostic(.error, "cannot write the report folder: \(problem)", at: SourceLocation(file: PathResolver.directory(of: reports))),
                      stage: "configuration")
            exit = .failed
        }
        let needsKey = config.sources.contains { $0.fields["respondent"] != nil || $0.fields["submitter"] != nil }
        // The key as `run` reads it: a key file that exists but is blank is no key (run exits 2; so does validate).
        if needsKey, !context.hasPseudonymKey {
            log.error(Diagnostic(.error, "no pseudonym key: set \(config.pseudonymKeyEnv) before `leanpulse run`"), stage: "configuration")
            exit = .invalidConfiguration
        }
        let importer = SourceImporter(context: context, log: log)
        var allFindings: [DataQualityFinding] = context.organizationFindings
        var fileCounts: [ImportCounts] = []
        var fingerprints: [(source: SourceConfig, files: [InputFileRecord])] = []
        for source in config.sources {
            out += "\nsource \(source.id) (\(source.kind.rawValue), format \(source.format.rawValue))\n"
            let files: [InputFileRecord]
            do { files = try importer.fingerprint(source).files } catch {
                log.error(error.diagnostic, stage: "ingest")
                if exit == .published { exit = .failed }
                continue
            }
            fingerprints.append((source, files))
            if source.kind == .ideas, source.fields["status"] != nil { out += "  statuses: \(source.statuses.description)\n" }
            let earlierIdeaIds = SourceNormalizer.earlierIdeaIds(for: source, fileCount: files.count)
            let goalCheckIns = SourceNormalizer.goalCheckIns(for: source)
            // Each file's text, counts and findings; printed once the source is read (a goal's later check-in may be in a
            // later file).
            var checked: [(text: String, read: (counts: ImportCounts, findings: [DataQualityFinding])?)] = []
            for file in files {
                let heading = "  file \(file.path) (\(file.bytes) bytes, sha256 \(file.sha256.prefix(12))...)\n"
                do {
                    let (summary, counts, findings) = try check(source, file: file, context: context, earlierIdeaIds: earlierIdeaIds,
                                                                goalCheckIns: goalCheckIns)
                    checked.append((heading + summary, (counts, findings)))
                    continue
                } catch let error as Diagnostic {
                    log.error(error, stage: "ingest")
                    if exit == .published { exit = .failed }
                } catch let error as any LocatedError {
                    log.error(error.diagnostic, stage: "ingest")
                    if exit == .published { exit = .failed }
                } catch {
                    log.error(Diagnostic(.error, "\(error)", at: SourceLocation(file: file.path)), stage: "ingest")
                    if exit == .published { exit = .failed }
                }
                checked.append((heading, nil))
            }
            if let goalCheckIns {
                let readFiles = checked.indices.filter { checked[$0].read != nil }
                var read = checked.compactMap(\.read)
                _ = SourceNormalizer.settleGoals(goalCheckIns, source: source, files: &read)
                for (k, i) in readFiles.enumerated() { checked[i].read = read[k] }
            }
            for (text, result) in checked {
                out += text
                guard let (counts, findings) = result else { continue }
                allFindings += findings
                fileCounts.append(counts)
                out += "    records: \(counts.read) read, \(counts.accepted) accepted (before duplicates), \(counts.rejected) rejected or skipped, "
                    + (counts.superseded > 0 ? "\(counts.superseded) superseded, " : "") + "\(findings.count) findings\n"
                for f in findings.prefix(200) {
                    out += "    \(f.location): \(f.severity.rawValue): [\(f.code)] \(f.message)\n"
                }
                if findings.count > 200 { out += "    ... \(findings.count - 200) more findings\n" }
            }
        }
        if let twice = SourceImporter.countedTwice(fingerprints) {
            log.error(twice.diagnostic, stage: twice.step)
            exit = .invalidConfiguration
        }
        if exit == .published, let gate = PipelineRunner.qualityGateMessage(counts: fileCounts, findings: allFindings,
                                                                           maxRejectedRatio: config.maxRejectedRatio) {
            // As `run` would: publish, then exit 3.
            log.error(Diagnostic(.error, gate + "; `leanpulse run` would publish and exit 3", at: SourceLocation(file: config.pipelinePath)),
                      stage: "quality")
            out += "\nvalid, but over the data-quality gate: `leanpulse run` would publish and exit 3\n"
            return .qualityGateExceeded
        }
        out += exit == .published ? "\nvalid: `leanpulse run` would go ahead\n" : "\nnot valid: see the errors above\n"
        return exit
    }

    private func check(_ source: SourceConfig, file: InputFileRecord, context: PipelineContext,
                       earlierIdeaIds: EarlierFileIds?, goalCheckIns: GoalCheckIns?) throws -> (String, ImportCounts, [DataQualityFinding]) {
        let reader = try SourceReading.open(source: source, file: file.path,
                                            fieldPaths: SourceReading.fieldPaths(for: source, instrument: context.instrument))
        var text = ""
        let detected = SourceReading.detection(of: reader)
        if !detected.isEmpty { text += "    detected: " + detected.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n" }
        text += "    header rows: \(reader.header.headerRows), columns: \(reader.header.names.count)\n"
        var normalizer = try SourceNormalizer(source: source, header: reader.header, context: context, earlierIdeaIds: earlierIdeaIds,
                                              goalCheckIns: goalCheckIns)
        if let zone = normalizer.exportZone { text += "    times read in: \(zone.description)\n" }
        if source.kind == .survey {
            text += "    mapping (export column -> item):\n"
            for (item, column) in zip(context.instrument.items, normalizer.itemColumns) {
                text += "      \(column.map { reader.header.names[$0] } ?? "(none)") -> \(item.id)\n"
            }
        }
        try normalizer.normalizeAll(reader) { _ in }
        let (counts, findings) = normalizer.fileResult(of: reader, source: source, file: file)
        return (text, counts, findings)
    }
}
