import Compute
import Foundation
import LeanPulseCore
import Normalize
import Render
import Store

/// `leanpulse run`: configuration -> ingest/normalize/store (one transaction) -> compute -> render -> publish.
public struct PipelineRunner {
    public let options: RunOptions
    public let log: RunLog

    public init(options: RunOptions, log: RunLog) {
        self.options = options
        self.log = log
    }

    /// The files besides the exports that the figures come from, for the manifest's `inputs` with their sha256: the
    /// pipeline file, the instrument and the organisation file (`source` in parentheses, which no source id can be
    /// mistaken for).
    static func configurationInputs(_ config: PipelineConfig) throws(PipelineError) -> [InputFileRecord] {
        var inputs: [InputFileRecord] = []
        for (role, path) in [("(pipeline)", config.pipelinePath), ("(instrument)", config.instrumentPath), ("(organization)", config.teamsPath)] {
            let (hex, bytes) = try FileDigest.sha256(file: path)
            inputs.append(InputFileRecord(source: role, path: path, sha256: hex, bytes: bytes))
        }
        return inputs
    }

    /// Runs the pipeline; the exit code says what happened (see `ExitCode`). Errors are logged here, once.
    public func run() -> ExitCode {
        do {
            return try runSteps()
        } catch {
            log.error(error.diagnostic, stage: error.step)
            return error.exitCode
        }
    }

    private func runSteps() throws(PipelineError) -> ExitCode {
        var timings: [(stage: String, seconds: Double)] = []
        var clock = Date()
        func lap(_ stage: String) {
            let now = Date()
            timings.append((stage, now.timeIntervalSince(clock)))
            clock = now
        }

        let context = try PipelineContext.load(options, requireKey: true, log: log)
        let config = context.config
        // A SQLite store is held through a lock file beside it; a PostgreSQL store through an advisory lock of the
        // connection, taken once it is open (below).
        var fileLock: StoreLock?
        if case .sqlite(let path) = config.storeLocation {
            guard let lock = try StoreLock(storePath: path) else {
                throw PipelineError(.locked, "another run holds the store's lock; try again when it has finished",
                                    at: SourceLocation(file: path + ".lock"), step: "lock")
            }
            fileLock = lock
        }
        defer { withExtendedLifetime(fileLock) {} }
        // A report folder this run cannot write fails the run before the store changes (exit 1 means "store unchanged").
        try ReportPublisher.checkWritable(config.reportsDirectory(for: context.period))
        log.info("run", "pipeline \(config.name), period \(context.period), store \(config.storeDisplay)")
        lap("configuration")
        try stopIfAsked("configuration", imported: false)

        // A store this run creates is deleted again if its first import fails: no empty store is left to be mistaken
        // for a history (the lock file and the folder stay; the lock is released when the process ends).
        let (store, storeIsNew) = try Self.openStore(config.storeLocation)
        func discardNewStore() {
            guard storeIsNew, (try? store.close()) != nil else { return }
            LeanPulseStore.removeFiles(at: config.storePath)
        }

        // Ingest, normalize and store every changed source in one transaction: a broken file leaves the store as it was.
        var importer = SourceImporter(context: context, log: log)
        importer.interruption = options.interruption
        let importedAt = Self.isoNow()
        var outcomes: [SourceOutcome] = []
        var pending: [(SourceConfig, [InputFileRecord], String)] = []
        var fingerprints: [(source: SourceConfig, files: [InputFileRecord])] = []
        for source in config.sources {
            // In a store that several pipelines share, a source id is one pipeline's: another pipeline's import of
            // the same id would replace its rows (history lost for good once its exports are archived).
            let owners: [String]
            do { owners = try store.otherPipelines(importing: source.id, than: config.name) } catch {
                throw PipelineError(.failed, error.diagnostic, step: "store")
            }
            if let owner = owners.first {
                throw PipelineError(.invalidConfiguration,
                                    "source '\(source.id)' is already in the store \(config.storeDisplay) from pipeline '\(owner)': sources of "
                                    + "pipelines that share a store need their own ids (rename this one, or use another store)",
                                    at: source.location, step: "configuration")
            }
            let files: [InputFileRecord], hash: String
            do { (files, hash) = try importer.fingerprint(source) } catch {
                discardNewStore()
                throw error
            }
            fingerprints.append((source, files))
            let latest: StoredImport?
            do { latest = try store.latestImport(sourceId: source.id) } catch { throw PipelineError(.failed, error.diagnostic, step: "store") }
            if let latest, latest.sha256 == hash {
                do {
                    let counts = try store.importCounts(importId: latest.id, sourceId: source.id).map { c -> ImportCounts in
                        var c = c
                        c.unchanged = true
                        return c
                    }
                    outcomes.append(SourceOutcome(source: source, importId: latest.id, counts: counts,
                                                  findings: try store.findings(importId: latest.id), inputs: files, unchanged: true))
                } catch {
                    throw PipelineError(.failed, error.diagnostic, step: "store")
                }
                log.info("ingest", "\(source.id): unchanged since import \(latest.id), skipped")
            } else {
                pending.append((source, files, hash))
            }
        }
        do throws(PipelineError) {
            if let twice = SourceImporter.countedTwice(fingerprints) { throw twice }
            try stopIfAsked("ingest", imported: false)
        } catch {
            discardNewStore()
            throw error
        }
        if !pending.isEmpty {
            do {
                let imported = try store.withImportTransaction { writer throws -> [SourceOutcome] in
                    var done: [SourceOutcome] = []
                    for (source, files, hash) in pending {
                        done.append(try importer.importSource(source, files: files, hash: hash, writer: writer, importedAt: importedAt))
                    }
                    return done
                }
                outcomes += imported
            } catch let error as PipelineError {
                discardNewStore()
                throw error
            } catch let error as StoreError {
                // The transaction itself failed (BEGIN, COMMIT, a lost connection): the store's own message, once.
                discardNewStore()
                throw PipelineError(.failed, "the import failed and was rolled back: \(error.reason)",
                                    at: error.location ?? SourceLocation(file: config.storeDisplay), step: "store")
            } catch {
                discardNewStore()
                throw PipelineError(.failed, "the import failed and was rolled back: \(error)", at: SourceLocation(file: config.storeDisplay), step: "store")
            }
        }
        outcomes.sort { a, b in
            (config.sources.firstIndex { $0.id == a.source.id } ?? 0) < (config.sources.firstIndex { $0.id == b.source.id } ?? 0)
        }
        lap("ingest")
        let imported = !pending.isEmpty
        try stopIfAsked("ingest", imported: imported)

        // A report already published from exactly these inputs is not computed and written again.
        let configHash = FileDigest.sha256(
            (try? String(contentsOfFile: config.pipelinePath, encoding: .utf8)).map { $0 + context.instrumentHash } ?? context.instrumentHash)
        let destination = config.reportsDirectory(for: context.period)
        let freshness = try ReportFreshness(context: context, configHash: configHash, store: store)
        // A report whose organisation the store does not hold (a run that failed to record it) is written again: later
        // reports bound what they show of this period by that record (DECISIONS 38).
        if pending.isEmpty, freshness.isPublished(at: destination), (try? store.hasReportedOrganization(period: context.period)) == true {
            log.info("render", "\(destination) is current (same inputs, configuration and store): nothing to publish")
            return qualityGate(counts: outcomes.flatMap(\.counts), findings: outcomes.flatMap(\.findings),
                               maxRejectedRatio: config.maxRejectedRatio, destination: destination)
        }

        // Compute the period from the store.
        var dataset: PeriodDataset
        // With a team_map the ideas log and the goals may name old ids (Normalize accepts them): they are loaded (once)
        // onto the old and new ids, the ideas kept so for the earlier periods, and both moved onto this period's units
        // for this one.
        var notes: DatasetLoadNotes
        var mappableIdeas: IdeaTable?
        do {
            let outcomeIds = config.sources.filter { $0.kind == .ideas || $0.kind == .goals }.map(\.id)
            let mapOutcomes = !config.teamMap.isEmpty && !outcomeIds.isEmpty
            (dataset, notes) = try store.loadDataset(period: context.period, organization: context.organization,
                                                     instrument: context.instrument,
                                                     sourceIds: config.sources.map(\.id).filter { !mapOutcomes || !outcomeIds.contains($0) })
            if mapOutcomes {
                let (outcomes, outcomeNotes) = try store.loadDataset(period: context.period, organization: context.normalizationOrganization,
                                                                     instrument: context.instrument, sourceIds: outcomeIds)
                notes.unresolvedIdeas = outcomeNotes.unresolvedIdeas
                notes.unresolvedGoals = outcomeNotes.unresolvedGoals
                mappableIdeas = outcomes.ideas
                let mapped = PeriodHistory.remap(outcomes, onto: context.organization, teamMap: config.teamMap).dataset
                dataset.ideas = mapped.ideas
                dataset.goals = mapped.goals
            }
        } catch {
            throw PipelineError(.failed, error.diagnostic, step: "store")
        }
        if dataset.responses.count == 0 {
            log.warning("compute", "no survey response is stored for \(context.period): survey figures will be blank")
        }
        lap("load")
        log.info("load", "\(context.period): \(dataset.responses.count) responses, \(dataset.ideas.count) ideas, \(dataset.goals.count) goals, "
                 + "\(context.organization.count) units" + Self.seconds(timings.last?.seconds))
        try stopIfAsked("load", imported: imported)
        // The survey statistics need only the units' suppression: computed on the second core beside the unit metrics.
        let suppressed = MetricsCalculator.suppressedUnits(dataset, settings: config.metrics)
        let statistics = BackgroundWork<SurveyStatisticsResult, Never> { [dataset, relativeWeights = config.metrics.relativeWeights,
                                                                           minimum = config.metrics.minRespondents] in
            SurveyStatistics.compute(dataset, suppressed: suppressed, minimum: minimum, relativeWeights: relativeWeights)
        }
        var (metrics, tallies) = MetricsCalculator.computeDetailed(dataset, settings: config.metrics)
        var statisticsResult = statistics.result()
        statisticsResult.withhold(as: metrics, minimum: config.metrics.minRespondents)
        metrics.statistics = statisticsResult
        lap("compute")
        log.info("compute", "metrics of \(metrics.units.count) units, \(metrics.suppressions.count) suppressed" + Self.seconds(timings.last?.seconds))
        try stopIfAsked("compute", imported: imported)
        let changeFindings = try compareWithEarlierPeriods(&metrics, tallies: tallies, dataset: dataset,
                                                           ideas: mappableIdeas ?? dataset.ideas, store: store, context: context)
        lap("history")
        try stopIfAsked("history", imported: imported)

        var findings = context.organizationFindings + outcomes.flatMap(\.findings)
        findings += Self.notesFindings(notes, store: config.storeDisplay) + changeFindings
        findings += Self.headcountFindings(metrics, teamsFile: config.teamsPath)
        if let earlier = try? store.reportedOrganization(period: context.period)?.respondents,
           let warning = Self.republishedWarning(metrics, earlier: earlier, minimum: config.metrics.minRespondents,
                                                 period: context.period, store: config.storeDisplay) {
            findings.append(warning)
            // A confidentiality matter for whoever runs it, cron included: in the log too, not only in the report.
            log.warning("compute", warning.message)
        }
        let counts = outcomes.flatMap(\.counts)
        var input = ReportInput(
            title: config.title, pipelineName: config.name, period: context.period, generatedAt: importedAt,
            toolVersion: LeanPulseVersion.current, instrument: context.instrument, settings: config.metrics, metrics: metrics,
            findings: findings, importCounts: counts, inputs: try Self.configurationInputs(config) + outcomes.flatMap(\.inputs),
            configHash: configHash,
            timings: timings)
        input.fingerprint = freshness.fingerprint
        var renderOptions = RenderOptions(html: config.html, csv: config.csv)
        renderOptions.branding = config.branding
        let report = ReportWriter.prepare(input, options: renderOptions, dataset: dataset)
        // The period's rows end here: the pages need only the samples drawn from them (a quarter of the memory at 1M).
        dataset.responses = ResponseTable(itemCount: dataset.responses.itemCount)
        dataset.ideas = IdeaTable()
        mappableIdeas = nil
        // A terminal sees the pages go by (a 1M run writes 94k of them for half a minute).
        let renderProgress = Self.renderProgress(log)
        log.progress("render: CSV exports, then \(metrics.units.count + 3) pages")
        let removingReplaced: Bool
        do {
            removingReplaced = try ReportPublisher.publish(to: destination) { staging in
                try ReportWriter.write(report, to: staging, interruption: options.interruption, progress: renderProgress)
                // The organisation this report was computed on and what it counted per unit, for later reports' trends of
                // this period and the republishing check (DECISIONS 38), recorded before the report is put in place: a
                // store that cannot take it (an analyst's write lock held past the busy timeout) fails the run with nothing
                // published, instead of a report that later ones cannot be bounded by (session 18's audit: a warning,
                // which `--quiet` does not show, and exit 0).
                try recordOrganization(of: metrics, store: store, context: context)
            }
        } catch {
            log.endProgress()
            // Stopped by a signal, the writer threw `Interrupted`, which the publisher reports as a failed write.
            try stopIfAsked("render", imported: imported)
            throw Self.renderFailure(error, imported: imported)
        }
        log.endProgress()
        lap("render")
        log.info("render", "published \(destination) (\(metrics.units.count) units, \(metrics.suppressions.count) suppressed)")
        if removingReplaced {
            log.info("render", "the report it replaced has more than \(ReportPublisher.backgroundRemovalThreshold) pages: a background "
                     + "process removes it")
        }

        return qualityGate(counts: counts, findings: findings, maxRejectedRatio: config.maxRejectedRatio, destination: destination)
    }

    /// Opens the store `store:` names, and whether this run creates it (a SQLite file not there yet). A PostgreSQL store is
    /// held for the run by its advisory lock (exit 75 when another run holds it), released when the connection closes.
    static func openStore(_ location: StoreLocation) throws(PipelineError) -> (store: any HistoryStore, isNew: Bool) {
        switch location {
        case .sqlite(let path):
            let isNew = !FileManager.default.fileExists(atPath: path)
            do {
                return (try LeanPulseStore(path: path), isNew)
            } catch {
                // A store that could not be created (a full disk) is not left behind half made: exit 1 means store unchanged.
                if isNew { LeanPulseStore.removeFiles(at: path) }
                throw PipelineError(.failed, error.diagnostic, step: "store")
            }
        case .postgres(let url):
            let store: PostgresStore
            let held: Bool
            do {
                store = try PostgresStore(url: url)
                held = try store.takeRunLock()
            } catch {
                throw PipelineError(.failed, error.diagnostic, step: "store")
            }
            guard held else {
                try? store.close()
                throw PipelineError(.locked, "another run holds the store's lock; try again when it has finished",
                                    at: SourceLocation(file: url.redacted), step: "lock")
            }
            return (store, false)
        }
    }

    /// Stops the run when a signal asked it to (`Interruption`), between stages.
    private func stopIfAsked(_ stage: String, imported: Bool) throws(PipelineError) {
        if let signal = options.interruption.requested { throw Self.interrupted(Interrupted(signal: signal), stage: stage, imported: imported) }
    }

    /// The error of a run stopped by a signal during `stage`; `imported` when this run's import was committed before.
    static func interrupted(_ stop: Interrupted, stage: String, imported: Bool) -> PipelineError {
        let store = imported ? "the store keeps this run's import (the next run computes from it without reading the exports again)"
            : "the store is as it was"
        return PipelineError(.failed, "interrupted by \(stop.signalName) during \(stage): nothing was published; \(store)", step: stage)
    }

    /// `render: 41000 of 93762 pages, 44%, 160 MB/s` on a terminal; nil where progress is not shown.
    static func renderProgress(_ log: RunLog) -> ReportWriter.Progress? {
        guard log.showsProgress else { return nil }
        let start = DispatchTime.now().uptimeNanoseconds
        return { (written: Int, total: Int, bytes: Int) in
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            log.progress(String(format: "render: %d of %d pages, %.0f%%, %.0f MB/s", written, total,
                                100 * Double(written) / Double(max(total, 1)), Double(bytes) / 1e6 / max(seconds, 1e-9)))
        }
    }

    /// A period published again with a few respondents more or fewer in a shown unit (late responses, a corrected
    /// export): whoever holds both reports can subtract them and read the answers of the people who changed, which no
    /// single report gives away (session 16's audit recovered one person's answers so). Suppressing the changed units
    /// would hide every unit above them too, up to the organisation, so the analyst is told before the report goes out:
    /// a warning naming the units (`earlier`: each unit's respondents as the period's previous report counted them).
    static func republishedWarning(_ metrics: PeriodMetrics, earlier: [String: Int], minimum: Int, period: Period,
                                   store: String) -> DataQualityFinding? {
        var changed: [String] = []
        for u in metrics.units where !u.isSuppressed {
            guard let before = earlier[u.teamId] else { continue }
            let difference = abs(u.respondents - before)
            if difference > 0 && difference < minimum { changed.append("\(u.teamId) \(before) -> \(u.respondents)") }
        }
        guard !changed.isEmpty else { return nil }
        let listed = changed.prefix(10).joined(separator: ", ") + (changed.count > 10 ? ", ..." : "")
        return DataQualityFinding(
            source: "store", location: SourceLocation(file: store), severity: .warning, code: "republished-small-change",
            message: "\(period) was published before with fewer than \(minimum) respondents more or fewer in \(changed.count) shown "
                + "unit\(changed.count == 1 ? "" : "s") (\(listed)): whoever holds both reports can compute the answers of the people "
                + "who changed; withdraw the earlier report, or publish a period once its survey is closed")
    }

    /// ` (1.23 s)` for a stage's info line.
    private static func seconds(_ value: Double?) -> String {
        value.map { String(format: " (%.2f s)", $0) } ?? ""
    }

    /// A render or publish that failed (a full disk, say) after this run's import was committed: exit 1 says nothing
    /// was published, and the message adds that the store did change, so that a re-run need not import again.
    static func renderFailure(_ failure: PipelineError, imported: Bool) -> PipelineError {
        guard imported else { return failure }
        var failure = failure
        failure.diagnostic.message += " (nothing was published; the store keeps this run's import, which the next run computes from)"
        return failure
    }

    /// Shown units where more people answered than the organisation file counts (a headcount out of date): the response
    /// rate passes 100% and the intervals shrink to their points (METRICS.md: N <= n), which no one was told (session 18's
    /// audit). Shown units only: their respondents and response rate are in the report already, while of a hidden unit
    /// this would say more than the report does.
    static func headcountFindings(_ metrics: PeriodMetrics, teamsFile: String) -> [DataQualityFinding] {
        metrics.units.compactMap { unit in
            guard unit.suppression == nil, let headcount = unit.headcount, unit.respondents > headcount else { return nil }
            let rate = headcount > 0 ? String(format: " (response rate %.0f%%)", 100 * Double(unit.respondents) / Double(headcount)) : ""
            return DataQualityFinding(
                source: "organization", location: SourceLocation(file: teamsFile), severity: .warning, code: "respondents-exceed-headcount",
                message: "team \(unit.teamId): \(unit.respondents) people answered, more than the headcount of \(headcount) the organisation "
                    + "file gives it and its sub-units\(rate); is the headcount current? Its 95% intervals are their point estimates "
                    + "(METRICS.md: N <= n)")
        }
    }

    /// Records the organisation a report of `context.period` was computed on, with each unit's respondents and hidden figures.
    private func recordOrganization(of metrics: PeriodMetrics, store: any HistoryStore, context: PipelineContext) throws(PipelineError) {
        var respondents = [Int?](repeating: nil, count: context.organization.count)
        var hidden = [[String]?](repeating: [], count: context.organization.count)
        for m in metrics.units where m.unitIndex < respondents.count {
            respondents[m.unitIndex] = m.respondents
            hidden[m.unitIndex] = StoredPeriod.hiddenFigures(of: m, instrument: context.instrument)
        }
        do {
            try store.saveOrganization(context.organization.units, period: context.period, respondents: respondents, hiddenFigures: hidden)
        } catch {
            throw PipelineError(.failed, "cannot record the organisation of this report in the store (is another program writing to "
                                + "it?): " + error.diagnostic.message,
                                at: SourceLocation(file: context.config.storeDisplay), step: "store")
        }
    }

    /// The quality gate: records rejected for errors, against records read, per source.
    private func qualityGate(counts: [ImportCounts], findings: [DataQualityFinding], maxRejectedRatio: Double,
                             destination: String) -> ExitCode {
        if let message = Self.qualityGateMessage(counts: counts, findings: findings, maxRejectedRatio: maxRejectedRatio) {
            log.error(Diagnostic(.error, message + "; see data_quality.csv", at: SourceLocation(file: destination)), stage: "quality")
            return .qualityGateExceeded
        }
        return .published
    }

    /// The data-quality gate (`quality.max_rejected_ratio`): records rejected for errors over records read, for each
    /// source and for each of its files on their own, so that neither a large ideas log nor a source's clean earlier
    /// quarters can hide an export that lost whole teams (the history audit's 17% unusable Q3 export passed at 1.7% of
    /// every source's records, and a 7.7% one at 1.9% of its source's four quarters). The message when it is exceeded,
    /// nil when not; `validate` asks the same question before a run.
    static func qualityGateMessage(counts: [ImportCounts], findings: [DataQualityFinding], maxRejectedRatio: Double) -> String? {
        var bySource: [String: (read: Int, errors: Int)] = [:], byFile: [String: (source: String, read: Int, errors: Int)] = [:]
        for input in counts {
            bySource[input.source, default: (0, 0)].read += input.read
            byFile[input.file, default: (input.source, 0, 0)].read += input.read
        }
        for finding in findings where finding.severity == .error {
            bySource[finding.source]?.errors += 1
            if byFile[finding.location.file]?.source == finding.source { byFile[finding.location.file]?.errors += 1 }
        }
        func over(_ what: String, _ read: Int, _ errors: Int) -> String? {
            guard read > 0, Double(errors) / Double(read) > maxRejectedRatio else { return nil }
            return what + String(format: ": %.2f%% of %d records rejected", 100 * Double(errors) / Double(read), read)
        }
        let sources = bySource.keys.sorted().compactMap { over("source '\($0)'", bySource[$0]!.read, bySource[$0]!.errors) }
        // The files of sources of several files (a source of one file is its file); one over the gate is named even when
        // its source is over it too: it is where to look.
        let filesOf = counts.reduce(into: [String: Int]()) { $0[$1.source, default: 0] += 1 }
        let files = byFile.keys.sorted().compactMap { file -> String? in
            guard let entry = byFile[file], (filesOf[entry.source] ?? 0) > 1 else { return nil }
            return over("file \(file)", entry.read, entry.errors)
        }
        let all = sources + files
        guard !all.isEmpty else { return nil }
        return "data-quality gate exceeded: " + all.joined(separator: "; ") + String(format: " (max %.2f%%)", maxRejectedRatio * 100)
    }

    /// Changes against the latest earlier stored period and trends over every stored period (METRICS.md 5),
    /// with `team_map` applied to the earlier periods (see `PeriodHistory` for the rules).
    /// `ideas`: the ideas log on `context.normalizationOrganization` (the earlier periods' throughput).
    private func compareWithEarlierPeriods(_ metrics: inout PeriodMetrics, tallies: PeriodTallies, dataset: PeriodDataset,
                                           ideas: IdeaTable, store: any HistoryStore, context: PipelineContext) throws(PipelineError) -> [DataQualityFinding] {
        let config = context.config
        let surveyIds = config.sources.filter { $0.kind == .survey }.map(\.id)
        do {
            var history = try store.loadHistory(before: context.period, organization: context.normalizationOrganization,
                                                instrument: context.instrument, sourceIds: surveyIds)
            for i in history.indices { history[i].dataset.ideas = ideas }
            let hashes = try store.itemTextHashes(period: context.period, sourceIds: surveyIds)
            PeriodHistory.apply(to: &metrics, current: dataset, tallies: tallies, currentHashes: hashes, earlier: history,
                                teamMap: config.teamMap, settings: config.metrics)
        } catch {
            throw PipelineError(.failed, error.diagnostic, step: "compute")
        }
        guard let comparison = metrics.comparison, !comparison.trendBreakFactors.isEmpty else { return [] }
        let names = comparison.trendBreakFactors.map { context.instrument.factors[$0].id }
        return [DataQualityFinding(source: "store", location: SourceLocation(file: config.instrumentPath), severity: .info,
                                   code: "trend-break",
                                   message: "the items of \(names.joined(separator: ", ")) changed between \(comparison.previous) and \(context.period): no change is shown for them")]
    }

    static func notesFindings(_ notes: DatasetLoadNotes, store: String) -> [DataQualityFinding] {
        var result: [DataQualityFinding] = []
        for (count, what) in [(notes.unresolvedResponses, "responses"), (notes.unresolvedIdeas, "ideas"), (notes.unresolvedGoals, "goals")] where count > 0 {
            result.append(DataQualityFinding(source: "store", location: SourceLocation(file: store), severity: .warning, code: "unknown-team",
                                             message: "\(count) stored \(what) name a team that is no longer in the organisation file: not counted"))
        }
        if notes.crossSourceDuplicates > 0 {
            let n = notes.crossSourceDuplicates
            result.append(DataQualityFinding(
                source: "store", location: SourceLocation(file: store), severity: .warning, code: "duplicate-respondent",
                message: "\(n) response\(n == 1 ? "" : "s") of respondents who also answered in another survey source of the period "
                    + "(\(notes.crossSourceDuplicateSources.joined(separator: ", "))) \(n == 1 ? "is" : "are") not counted: one response per "
                    + "person and period, the latest (do two sources read the same export?)"))
        }
        for item in notes.droppedItems.sorted() {
            result.append(DataQualityFinding(source: "store", location: SourceLocation(file: store), severity: .warning, code: "dropped-item",
                                             message: "item \(item) has stored answers but is no longer in the instrument"))
        }
        return result
    }

    static func isoNow() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
