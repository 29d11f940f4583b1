import Foundation
import Ingest
import LeanPulseCore
import Normalize
import Store

/// What happened to one source in a run.
struct SourceOutcome {
    var source: SourceConfig
    var importId: Int64
    var counts: [ImportCounts]
    var findings: [DataQualityFinding]
    var inputs: [InputFileRecord]
    var unchanged: Bool
}

/// Ingest -> Normalize -> Store for one source: skipped when its content hash matches the latest import.
struct SourceImporter {
    let context: PipelineContext
    let log: RunLog
    /// Looked at between batches and files: a stop rolls the import back (the caller's transaction).
    var interruption = Interruption()

    /// The files of a source (a glob may match several) with their hashes, and the import's content hash:
    /// files, the source's configuration, the instrument, the organisation and the key all go into it.
    func fingerprint(_ source: SourceConfig) throws(PipelineError) -> (files: [InputFileRecord], hash: String) {
        let paths = PathResolver.expand(source.path).filter { FileManager.default.fileExists(atPath: $0) }
        guard !paths.isEmpty else {
            throw PipelineError(.failed, "source '\(source.id)': no file matches '\(source.path)'", at: source.location, step: "ingest")
        }
        var files: [InputFileRecord] = []
        for path in paths {
            let (hex, bytes) = try FileDigest.sha256(file: path)
            files.append(InputFileRecord(source: source.id, path: path, sha256: hex, bytes: bytes))
        }
        var description = "leanpulse-import-v1\n\(Self.canonical(source))\ninstrument \(context.instrumentHash)\norg \(context.organizationHash)\n"
        description += "key \(context.keyFingerprint)\ntz \(context.config.timezone)\n"
        // The team_map changes which team ids Normalize accepts: a new map re-imports (none: fingerprints as before).
        if !context.config.teamMap.isEmpty {
            description += "team_map " + context.config.teamMap.entries.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";") + "\n"
        }
        for f in files { description += "\(f.path) \(f.sha256)\n" }
        for f in files {
            for companion in SourceReading.companionFiles(source: source, file: f.path) where FileManager.default.fileExists(atPath: companion) {
                description += "data \(companion) \(try FileDigest.sha256(file: companion).hex)\n"
            }
        }
        return (files, FileDigest.sha256(description))
    }

    /// The settings of a source that shape what is stored, in a fixed order (dictionaries sorted by key).
    /// The same content read twice (a file in two sources, overlapping globs, a re-downloaded `export (1).csv` beside
    /// its original under one glob) counts its records twice wherever nothing matches them up: responses without a
    /// respondent id, goals, and ideas in two sources (ideas are told apart by id across the files of one source).
    /// Survey sources that name a respondent column are left to the load, which keeps one response per person and
    /// period. The pipeline-file error for the first such file, nil when there is none.
    static func countedTwice(_ fingerprints: [(source: SourceConfig, files: [InputFileRecord])]) -> PipelineError? {
        var firstReader: [String: (source: SourceConfig, file: InputFileRecord)] = [:]
        for (source, files) in fingerprints {
            for file in files {
                let key = source.kind.rawValue + " " + file.sha256
                guard let (earlier, earlierFile) = firstReader[key] else {
                    firstReader[key] = (source, file)
                    continue
                }
                let sameSource = earlier.id == source.id
                if sameSource && earlierFile.path == file.path { continue }
                if source.kind == .survey && earlier.fields["respondent"] != nil && source.fields["respondent"] != nil { continue }
                if source.kind == .ideas && sameSource { continue }
                let what = switch source.kind {
                case .survey: "responses without a respondent id cannot be matched"
                case .ideas: "ideas are told apart by id within a source only"
                case .goals: "goals are not matched across files"
                }
                let who = sameSource ? "source '\(source.id)' reads" : "sources '\(earlier.id)' and '\(source.id)' read"
                let files = earlierFile.path == file.path ? file.path : "\(earlierFile.path) and \(file.path)"
                return PipelineError(.invalidConfiguration,
                                     "\(who) the same content twice (\(files), sha256 \(file.sha256.prefix(12))...): its records would "
                                     + "count twice (\(what)); remove the copy, point a source elsewhere or narrow its glob",
                                     at: source.location, step: "configuration")
            }
        }
        return nil
    }

    static func canonical(_ s: SourceConfig) -> String {
        func pairs(_ d: [String: String]) -> String { d.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";") }
        let statuses = s.statuses.isEmpty ? [] : ["statuses:" + s.statuses.canonical]
        return ([s.id, s.kind.rawValue, s.format.rawValue, s.path, s.period?.description ?? "-", "fields:" + pairs(s.fields),
                "items:" + pairs(s.items), s.record ?? "-", s.delimiter.map { String($0) } ?? "-", s.encoding ?? "-",
                s.dateFormat ?? "-", s.timezone ?? "-", "previews:\(s.includePreviews)", "unfinished:\(s.includeUnfinished)"]
            // Only where set, so that the imports of sources without it keep their hashes (and are not read again).
            + statuses).joined(separator: "\n")
    }

    /// Reads, normalizes and writes every file of `source` through `writer` (inside the run's transaction).
    func importSource(_ source: SourceConfig, files: [InputFileRecord], hash: String, writer: any HistoryImportWriter,
                      importedAt: String) throws(PipelineError) -> SourceOutcome {
        var counts: [ImportCounts] = []
        var findings: [DataQualityFinding] = []
        // Periods the import speaks for even where none of its records was accepted.
        var periodsNamed = Set(source.period.map { [$0] } ?? [])
        let earlierIdeaIds = SourceNormalizer.earlierIdeaIds(for: source, fileCount: files.count)
        let goalCheckIns = SourceNormalizer.goalCheckIns(for: source)
        // A goals source's files, read and held: a later file may hold a goal's later check-in.
        var heldGoalFiles: [(counts: ImportCounts, findings: [DataQualityFinding])] = []
        var seconds: [Double] = []
        do {
            try writer.beginImport(source: source, pipeline: context.config.name, sha256: hash, instrument: context.instrument, importedAt: importedAt)
            func finish(_ file: InputFileRecord, _ fileCounts: ImportCounts, _ fileFindings: [DataQualityFinding], seconds: Double) throws {
                var fileFindings = fileFindings
                let fileCounts = try writer.finishFile(fileCounts, bytes: file.bytes, findings: &fileFindings)
                counts.append(fileCounts)
                findings += fileFindings
                log.endProgress()
                log.info("ingest", "\(source.id): \(file.path): \(fileCounts.read) read, \(fileCounts.accepted) accepted, "
                         + "\(fileCounts.rejected) rejected, \(fileCounts.superseded) superseded "
                         + String(format: "(%.2f s, %.0f MB/s)", seconds, Double(file.bytes) / 1e6 / max(seconds, 1e-9)))
            }
            for file in files {
                try interruption.check()
                let started = Date()
                let (fileCounts, fileFindings, rejectedPeriods) = try importFile(source, file: file, writer: writer,
                                                                                 earlierIdeaIds: earlierIdeaIds, goalCheckIns: goalCheckIns)
                periodsNamed.formUnion(rejectedPeriods)
                if goalCheckIns != nil {
                    heldGoalFiles.append((fileCounts, fileFindings))
                    seconds.append(Date().timeIntervalSince(started))
                    continue
                }
                try finish(file, fileCounts, fileFindings, seconds: Date().timeIntervalSince(started))
            }
            if let goalCheckIns {
                for goal in SourceNormalizer.settleGoals(goalCheckIns, source: source, files: &heldGoalFiles) { try writer.insert(goal) }
                for (i, file) in files.enumerated() { try finish(file, heldGoalFiles[i].counts, heldGoalFiles[i].findings, seconds: seconds[i]) }
            }
            let id = try writer.finishImport(alsoReplacing: periodsNamed)
            return SourceOutcome(source: source, importId: id, counts: counts, findings: findings, inputs: files, unchanged: false)
        } catch let error as PipelineError {
            throw error
        } catch let stop as Interrupted {
            throw PipelineRunner.interrupted(stop, stage: "ingest", imported: false)
        } catch let error as Diagnostic {
            throw PipelineError(.failed, error, step: "ingest")
        } catch let error as any LocatedError {
            throw PipelineError(.failed, error.diagnostic, step: "ingest")
        } catch {
            throw PipelineError(.failed, "source '\(source.id)': \(error)", at: source.location, step: "store")
        }
    }

    /// `ingest survey: 412,000 records, 38% of 98.8 MB, 95 MB/s` (a terminal's progress line).
    static func progressLine(source: String, records: Int, bytes: Int64?, of total: Int64, since start: UInt64) -> String {
        var line = "ingest \(source): \(records) records"
        if let bytes, total > 0 {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            line += String(format: ", %.0f%% of %.1f MB, %.0f MB/s", 100 * Double(bytes) / Double(total), Double(total) / 1e6,
                           Double(bytes) / 1e6 / max(seconds, 1e-9))
        }
        return line
    }

    private func importFile(_ source: SourceConfig, file: InputFileRecord, writer: any HistoryImportWriter,
                            earlierIdeaIds: EarlierFileIds?, goalCheckIns: GoalCheckIns?) throws -> (ImportCounts, [DataQualityFinding], Set<Period>) {
        let reader = try SourceReading.open(source: source, file: file.path,
                                            fieldPaths: SourceReading.fieldPaths(for: source, instrument: context.instrument))
        var normalizer = try SourceNormalizer(source: source, header: reader.header, context: context, earlierIdeaIds: earlierIdeaIds,
                                              goalCheckIns: goalCheckIns)
        let position = reader as? any ReadPosition
        let started = DispatchTime.now().uptimeNanoseconds
        let progress: ((Int) -> Void)? = log.showsProgress ? { read in
            log.progress(Self.progressLine(source: source.id, records: read, bytes: position?.bytesRead, of: file.bytes,
                                           since: started))
        } : nil
        // Read and normalize on a second core while this thread writes the store. Responses and ideas come batched (goals
        // go to their check-ins, stored by the caller once every file is read).
        try Overlapped.run(batchSize: 1, produce: { emit in
            try normalizer.normalizeAll(reader, progress: progress, emit)
        }, consume: { (normalized: NormalizedRecord) in
            try interruption.check()
            switch normalized {
            case .responses(let responses): try writer.insert(responses)
            case .ideas(let ideas): try writer.insert(ideas)
            }
        })
        let (counts, findings) = normalizer.fileResult(of: reader, source: source, file: file)
        return (counts, findings, normalizer.tally.rejectedPeriods)
    }
}
