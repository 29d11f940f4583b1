import Foundation

extension PipelineConfig {
    /// Reads and resolves a pipeline file: defaults applied, paths made absolute, every problem located.
    /// - Parameters:
    ///   - periodOverride: `--period` from the command line (wins over the file).
    ///   - storeOverride: `--store`; `outOverride`: `--out` (the report folder, `{period}` allowed).
    public static func load(path: String, periodOverride: String? = nil, storeOverride: String? = nil,
                            outOverride: String? = nil) throws(Diagnostic) -> PipelineConfig {
        let absolutePath = PathResolver.absolute(path, relativeTo: FileManager.default.currentDirectoryPath)
        let document = try YAMLDocument<PipelineFile>(path: absolutePath, keys: PipelineFile.keys)
        let file = document.value
        let base = PathResolver.directory(of: absolutePath)
        func required(_ value: String?, _ keys: [String]) throws(Diagnostic) -> String {
            guard let value, !value.trimmingSpaces.isEmpty else {
                throw Diagnostic(.error, "missing key '\(keys.joined(separator: "."))'", at: document.location(Array(keys.dropLast())))
            }
            return value
        }
        let name = try required(file.pipeline, ["pipeline"])
        let teams = try required(file.organization?.teams, ["organization", "teams"])
        let instrument = try required(file.instrument, ["instrument"])
        let periodSpec = periodOverride ?? file.period ?? "previous-quarter"
        if Period.resolve(periodSpec, today: Day(ordinal: 0)) == nil {
            let where_ = periodOverride == nil ? document.location(["period"]) : nil
            throw Diagnostic(.error, "period '\(periodSpec)' is not a quarter like 2026-Q3, 'previous-quarter' or 'current-quarter'", at: where_)
        }
        let timezone = file.timezone ?? "UTC"
        if TimeZone(identifier: timezone) == nil {
            throw Diagnostic(.error, "unknown time zone '\(timezone)'", at: document.location(["timezone"]))
        }

        guard let rawSources = file.sources, !rawSources.isEmpty else {
            throw Diagnostic(.error, "the pipeline has no 'sources'", at: document.location([]))
        }
        var sources: [SourceConfig] = []
        var ids = Set<String>()
        for (index, raw) in rawSources.enumerated() {
            let keys = ["sources", String(index)]
            let location = document.location(keys)
            let id = try required(raw.id, keys + ["id"])
            guard ids.insert(id).inserted else {
                throw Diagnostic(.error, "source id '\(id)' is used twice", at: document.location(keys + ["id"]))
            }
            let kindText = try required(raw.kind, keys + ["kind"])
            guard let kind = SourceKind(rawValue: kindText) else {
                throw Diagnostic(.error, "source '\(id)': kind '\(kindText)' is not one of \(SourceKind.allCases.map(\.rawValue).joined(separator: ", "))",
                                 at: document.location(keys + ["kind"]))
            }
            let formatText = raw.format ?? "csv"
            guard let format = SourceFormat(rawValue: formatText) else {
                throw Diagnostic(.error, "source '\(id)': format '\(formatText)' is not one of \(SourceFormat.allCases.map(\.rawValue).joined(separator: ", "))",
                                 at: document.location(keys + ["format"]))
            }
            // The vendor presets read survey exports (their header rows, status filters and answer codes): on an ideas log
            // or a goals file a Qualtrics preset took the first record for a header row without a word.
            if kind != .survey, format != .csv, format != .xml {
                throw Diagnostic(.error, "source '\(id)': format '\(formatText)' reads survey exports; a \(kind.rawValue) source is 'csv' or 'xml'",
                                 at: document.location(keys + ["format"]))
            }
            let path = try required(raw.path, keys + ["path"])
            var period: Period?
            if let text = raw.period {
                guard let p = Period(text) else {
                    throw Diagnostic(.error, "source '\(id)': period '\(text)' is not a quarter like 2026-Q3", at: document.location(keys + ["period"]))
                }
                period = p
            }
            var delimiter: UInt8?
            if let d = raw.delimiter {
                let resolved = d == "\\t" || d.lowercased() == "tab" ? "\t" : d
                guard resolved.utf8.count == 1, let byte = resolved.utf8.first else {
                    throw Diagnostic(.error, "source '\(id)': delimiter must be one character (or 'tab')", at: document.location(keys + ["delimiter"]))
                }
                delimiter = byte
            }
            if (format == .xml) && (raw.record ?? "").isEmpty {
                throw Diagnostic(.error, "source '\(id)': an xml source needs 'record', the path of each record element such as /ideas/idea",
                                 at: location)
            }
            let fields = raw.fields ?? [:]
            // A misspelt role would leave its column unread (a respondent column unread: no pseudonym, no duplicates).
            for (role, roleLocation) in document.mappingKeys(keys + ["fields"]) where !kind.fieldRoles.contains(role) {
                throw Diagnostic(.error, "source '\(id)': " + YAMLKeys.unknown(role, in: "'fields' of \(kind == .ideas ? "an" : "a") \(kind.rawValue) source", known: kind.fieldRoles),
                                 at: roleLocation)
            }
            let itemLocations = Dictionary(document.mappingKeys(keys + ["items"]).map { ($0.key, $0.location) }, uniquingKeysWith: { a, _ in a })
            let needed: [String] = switch kind {
            case .survey: []
            case .ideas: ["id", "team", "submitted"]
            case .goals: ["team"]
            }
            for role in needed where fields[role] == nil {
                throw Diagnostic(.error, "source '\(id)': 'fields' needs '\(role)' for a \(kind.rawValue) source", at: document.location(keys + ["fields"]))
            }
            if kind == .goals {
                if fields["period"] == nil, period == nil {
                    throw Diagnostic(.error, "source '\(id)': a goals source needs fields.period or a 'period'", at: document.location(keys + ["fields"]))
                }
                if fields["score"] == nil, fields["target"] == nil || fields["actual"] == nil {
                    throw Diagnostic(.error, "source '\(id)': a goals source needs fields.target and fields.actual, or fields.score",
                                     at: document.location(keys + ["fields"]))
                }
            }
            if let tz = raw.timezone, TimeZone(identifier: tz) == nil {
                throw Diagnostic(.error, "source '\(id)': unknown time zone '\(tz)'", at: document.location(keys + ["timezone"]))
            }
            var source = SourceConfig(
                id: id, kind: kind, format: format, path: PathResolver.absolute(path, relativeTo: base), period: period,
                fields: fields, items: raw.items ?? [:], record: raw.record, delimiter: delimiter, encoding: raw.encoding,
                dateFormat: raw.date_format, timezone: raw.timezone, includePreviews: raw.include_previews ?? false,
                includeUnfinished: raw.include_unfinished ?? false, location: location)
            source.itemLocations = itemLocations
            if let written = raw.statuses {
                source.statuses = try loadStatuses(written, source: id, kind: kind, fields: fields, keys: keys + ["statuses"], document: document)
            }
            sources.append(source)
        }

        var metrics = MetricSettings()
        if let c = file.confidentiality {
            if let m = c.min_respondents {
                guard m >= 3 else {
                    throw Diagnostic(.error, "min_respondents must be at least 3", at: document.location(["confidentiality", "min_respondents"]))
                }
                metrics.minRespondents = m
            }
            if let m = c.min_comment_respondents { metrics.minCommentRespondents = max(m, metrics.minRespondents) }
        }
        if let m = file.metrics {
            if let text = m.favorable_aggregation {
                guard let a = FavorableAggregation(rawValue: text) else {
                    throw Diagnostic(.error, "favorable_aggregation '\(text)' is not one of item-mean, pooled, person-mean",
                                     at: document.location(["metrics", "favorable_aggregation"]))
                }
                metrics.favorableAggregation = a
            }
            if let s = m.strength_threshold {
                guard (0...100).contains(s) else {
                    throw Diagnostic(.error, "strength_threshold must be between 0 and 100", at: document.location(["metrics", "strength_threshold"]))
                }
                metrics.strengthThreshold = s
            }
            if let inclusive = m.cycle_time_inclusive { metrics.cycleTimeInclusive = inclusive }
            if let weights = m.relative_weights { metrics.relativeWeights = weights }
        }
        let maxRejected = file.quality?.max_rejected_ratio ?? 0.02
        guard (0...1).contains(maxRejected) else {
            throw Diagnostic(.error, "max_rejected_ratio must be between 0 and 1", at: document.location(["quality", "max_rejected_ratio"]))
        }
        if let text = storeOverride ?? file.store {
            try checkStoreIsAFile(text, at: storeOverride == nil ? document.location(["store"]) : nil, fromFile: storeOverride == nil)
        }
        // An empty path would resolve to the pipeline's own folder: the store a folder, the report replacing the pipeline.
        if storeOverride == nil, let text = file.store, text.trimmingSpaces.isEmpty {
            throw Diagnostic(.error, "store is empty: give the path of the SQLite file (or a postgresql:// URL)", at: document.location(["store"]))
        }
        if let text = storeOverride, text.trimmingSpaces.isEmpty { throw Diagnostic(.error, "--store is empty: give the path of the SQLite file") }
        if outOverride == nil, let text = file.reports?.dir, text.trimmingSpaces.isEmpty {
            throw Diagnostic(.error, "reports.dir is empty: give a folder for the reports, e.g. Reports/{period}",
                             at: document.location(["reports", "dir"]))
        }
        if let text = outOverride, text.trimmingSpaces.isEmpty { throw Diagnostic(.error, "--out is empty: give a folder for the reports") }
        let cwd = FileManager.default.currentDirectoryPath
        // A PostgreSQL URL is kept as written (it is not a path); a path resolves as before.
        let store = storeOverride.map { PostgresURL.isPostgresURL($0) ? $0 : PathResolver.absolute($0, relativeTo: cwd) }
            ?? file.store.flatMap { PostgresURL.isPostgresURL($0) ? $0 : nil }
            ?? PathResolver.absolute(file.store?.restoringPlaceholders ?? "leanpulse.sqlite", relativeTo: base)
        let reports = outOverride.map { PathResolver.absolute($0, relativeTo: cwd) }
            ?? PathResolver.absolute(file.reports?.dir?.restoringPlaceholders ?? "Reports/{period}", relativeTo: base)
        let teamMap = try loadTeamMap(file.team_map, document: document, base: base)
        var branding = ReportBranding()
        if let b = file.branding {
            if let text = b.accent {
                guard let colour = ReportBranding.accentColour(text) else {
                    throw Diagnostic(.error, "branding.accent '\(text)' is not a colour like #0b6e4f (# and six hex digits)",
                                     at: document.location(["branding", "accent"]))
                }
                branding.accent = colour
            }
            if let logo = b.logo {
                let logoPath = PathResolver.absolute(logo, relativeTo: base)
                switch ReportBranding.logoDataURI(path: logoPath) {
                case .success(let uri): branding.logoDataURI = uri
                case .failure(let error):
                    throw Diagnostic(.error, "branding.logo '\(logo)': \(error)", at: document.location(["branding", "logo"]))
                }
            }
        }
        var config = PipelineConfig(
            name: name, title: file.title ?? name, pipelinePath: absolutePath, periodSpec: periodSpec, timezone: timezone,
            storePath: store, teamsPath: PathResolver.absolute(teams, relativeTo: base),
            instrumentPath: PathResolver.absolute(instrument, relativeTo: base), sources: sources, metrics: metrics,
            pseudonymKeyEnv: file.confidentiality?.pseudonym_key_env ?? "LEANPULSE_KEY",
            pseudonymKeyFile: file.confidentiality?.pseudonym_key_file.map { PathResolver.absolute($0, relativeTo: base) },
            maxRejectedRatio: maxRejected, reportsDir: reports, html: file.reports?.html ?? true, csv: file.reports?.csv ?? true)
        config.branding = branding
        config.teamsLocation = document.location(["organization", "teams"])
        config.instrumentLocation = document.location(["instrument"])
        config.periodLocation = periodOverride == nil && file.period != nil ? document.location(["period"]) : nil
        config.reportsDirLocation = outOverride == nil && file.reports?.dir != nil ? document.location(["reports", "dir"]) : nil
        config.teamMap = teamMap.map
        config.teamMapLocations = teamMap.locations
        return config
    }

    /// The store is a SQLite file. A database URL (`postgresql://host/db`) would otherwise become a file of that odd name
    /// in the working directory, and the run would look as if it had used the server.
    static func checkStoreIsAFile(_ text: String, at location: SourceLocation?, fromFile: Bool = false) throws(Diagnostic) {
        guard let separator = text.range(of: "://") else { return }
        let scheme = text[..<separator.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }) else { return }
        guard PostgresURL.isPostgresURL(text) else {
            throw Diagnostic(.error, "store '\(text)': give the path of a SQLite file or a postgresql:// URL (a \(scheme) server is not supported)",
                             at: location)
        }
        let url: PostgresURL
        do { url = try PostgresURL(parsing: text) } catch {
            throw Diagnostic(.error, "store '\(PostgresURL.redactedForError(text))': \(error.description)", at: location)
        }
        // The pipeline file is read by cron, kept in version control and copied around: no password in it. On the
        // command line the user typed it; PGPASSWORD or ~/.pgpass (libpq's conventions) are the better place.
        if fromFile, url.password != nil {
            throw Diagnostic(.error, "store '\(url.redacted)': the pipeline file must not hold the database password: set PGPASSWORD, "
                             + "or put it in ~/.pgpass (or the file PGPASSFILE names)", at: location)
        }
    }

    /// `statuses:` of a source (`keys` its path in the file): for ideas sources that map a status column only; a word
    /// listed under two roles is an error at its second writing (in the file's order), as is an empty one.
    static func loadStatuses(_ written: PipelineFile.Statuses, source id: String, kind: SourceKind, fields: [String: String],
                             keys: [String], document: YAMLDocument<PipelineFile>) throws(Diagnostic) -> IdeaStatuses {
        guard kind == .ideas else {
            throw Diagnostic(.error, "source '\(id)': statuses: says what an ideas log's status words mean; a \(kind.rawValue) source has none",
                             at: document.location(keys))
        }
        guard fields["status"] != nil else {
            throw Diagnostic(.error, "source '\(id)': statuses: needs the status column: map fields.status", at: document.location(keys))
        }
        var statuses = IdeaStatuses()
        // The roles in the file's order, so that the second writing of a word is the one reported.
        for (name, _) in document.mappingKeys(keys) {
            guard let role = IdeaStatuses.Role(rawValue: name), let words = written[role] else { continue }
            for (index, word) in words.list.enumerated() {
                let at = document.location(words.isList ? keys + [name, String(index)] : keys + [name])
                guard !Scale.key(word).isEmpty else {
                    throw Diagnostic(.error, "source '\(id)': statuses.\(name) has an empty status word", at: at)
                }
                if let other = statuses.add(word, as: role) {
                    throw Diagnostic(.error, "source '\(id)': status '\(word)' is listed under both \(other.rawValue) and \(role.rawValue) "
                                     + "in statuses: (a status has one meaning)", at: at)
                }
            }
        }
        return statuses
    }

    /// `team_map`: inline `{ old_id: new_id }` or a CSV file (`old_id,new_id`, optional header of those names).
    /// Every entry keeps its location for the errors found later (an unknown new id, checked against the
    /// organisation file when it is read).
    static func loadTeamMap(_ value: PipelineFile.TeamMapValue?, document: YAMLDocument<PipelineFile>, base: String)
    throws(Diagnostic) -> (map: TeamMap, locations: [String: SourceLocation]) {
        var entries: [String: String] = [:]
        var locations: [String: SourceLocation] = [:]
        switch value {
        case nil:
            break
        case .inline(let map):
            for (old, new) in map {
                let location = document.location(["team_map", old])
                let (o, n) = (old.trimmingSpaces, new.trimmingSpaces)
                guard !o.isEmpty, !n.isEmpty else {
                    throw Diagnostic(.error, "team_map: an old and a new team id are both needed", at: location)
                }
                entries[o] = n
                locations[o] = location
            }
        case .file(let raw):
            let path = PathResolver.absolute(raw.restoringPlaceholders, relativeTo: base)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw Diagnostic(.error, "team_map: cannot read the file \(path)", at: document.location(["team_map"]))
            }
            var line = 0
            // By scalars: "\r\n" is one Character, so a Character split would not see its "\n".
            for scalars in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
                line += 1
                let rawLine = String(scalars)
                let row = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : rawLine
                if row.trimmingSpaces.isEmpty { continue }
                let cells = row.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
                if line == 1, cells.map({ $0.lowercased() }) == ["old_id", "new_id"] { continue }
                guard cells.count == 2 else {
                    throw Diagnostic(.error, "team_map: a row needs two fields, old_id,new_id (found \(cells.count))",
                                     at: SourceLocation(file: path, line: line, column: 1))
                }
                guard !cells[0].isEmpty, !cells[1].isEmpty else {
                    let column = cells[0].isEmpty ? 1 : row.split(separator: ",", omittingEmptySubsequences: false)[0].count + 2
                    throw Diagnostic(.error, "team_map: an old and a new team id are both needed",
                                     at: SourceLocation(file: path, line: line, column: column))
                }
                guard entries[cells[0]] == nil else {
                    throw Diagnostic(.error, "team_map: team '\(cells[0])' is mapped twice",
                                     at: SourceLocation(file: path, line: line, column: 1))
                }
                entries[cells[0]] = cells[1]
                locations[cells[0]] = SourceLocation(file: path, line: line, column: 1)
            }
        }
        return (TeamMap(entries), locations)
    }
}
