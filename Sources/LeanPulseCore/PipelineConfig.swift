/// What a source holds.
public enum SourceKind: String, Sendable, Codable, CaseIterable {
    case survey, ideas, goals

    /// The roles a source of this kind may name in `fields:` (the columns its normalizer reads).
    public var fieldRoles: [String] {
        switch self {
        case .survey: ["respondent", "team", "submitted", "enps", "comment"]
        case .ideas: ["id", "team", "submitted", "implemented", "rejected", "status", "submitter"]
        case .goals: ["id", "team", "period", "target", "actual", "score", "updated"]
        }
    }
}

/// The `format:` values of the contract.
public enum SourceFormat: String, Sendable, Codable, CaseIterable {
    case csv, xml
    case qualtricsCSV = "qualtrics-csv"
    case qualtricsXML = "qualtrics-xml"
    case surveyMonkeyCSV = "surveymonkey-csv"
    case googleFormsCSV = "google-forms-csv"
    case microsoftFormsCSV = "microsoft-forms-csv"
    case limeSurveyCSV = "limesurvey-csv"
    case tripleS = "triple-s"
}

/// How a factor % favorable is aggregated from its items (METRICS.md 2).
public enum FavorableAggregation: String, Sendable, Codable, CaseIterable {
    case itemMean = "item-mean"
    case pooled
    case personMean = "person-mean"
}

/// Metric rules the pipeline file may change; the report states which were in force.
public struct MetricSettings: Sendable, Hashable, Codable {
    public var minRespondents: Int = 5
    public var minCommentRespondents: Int = 10
    public var favorableAggregation: FavorableAggregation = .itemMean
    public var strengthThreshold: Double = 65
    public var cycleTimeInclusive: Bool = true
    /// Key drivers also get Johnson's (2000) relative weights (`metrics: { relative_weights: true }`).
    public var relativeWeights: Bool = false

    public init(minRespondents: Int = 5, minCommentRespondents: Int = 10, favorableAggregation: FavorableAggregation = .itemMean,
                strengthThreshold: Double = 65, cycleTimeInclusive: Bool = true, relativeWeights: Bool = false) {
        self.relativeWeights = relativeWeights
        self.minRespondents = minRespondents
        self.minCommentRespondents = minCommentRespondents
        self.favorableAggregation = favorableAggregation
        self.strengthThreshold = strengthThreshold
        self.cycleTimeInclusive = cycleTimeInclusive
    }
}

/// One resolved source entry.
public struct SourceConfig: Sendable, Hashable {
    public var id: String
    public var kind: SourceKind
    public var format: SourceFormat
    /// Absolute path or glob pattern.
    public var path: String
    public var period: Period?
    /// Role -> export column (or XML field path): respondent, team, submitted, enps, comment, id, implemented, ...
    public var fields: [String: String]
    /// Export column -> instrument item id.
    public var items: [String: String]
    /// XML record path such as `/ideas/idea`.
    public var record: String?
    public var delimiter: UInt8?
    public var encoding: String?
    public var dateFormat: String?
    public var timezone: String?
    public var includePreviews: Bool
    public var includeUnfinished: Bool
    /// Ideas sources: what the status column's words mean (`statuses:`; empty: the built-in words alone).
    public var statuses = IdeaStatuses()
    /// Where the entry is in the pipeline file.
    public var location: SourceLocation
    /// Where each `items:` entry (by export column) is in the pipeline file.
    public var itemLocations: [String: SourceLocation] = [:]

    /// The first `items:` entry naming an item `instrument` does not define (entries in column order), at its line in
    /// the pipeline file, with the nearest item id as a suggestion; nil when every entry names one.
    /// `items` in the pipeline file's order (then by column), so that the first problem reported is the first written,
    /// the same on every run.
    public var itemsInFileOrder: [(column: String, item: String)] {
        items.map { (column: $0.key, item: $0.value) }.sorted { a, b in
            let la = itemLocations[a.column], lb = itemLocations[b.column]
            let ka = (la?.line ?? Int.max, la?.column ?? Int.max), kb = (lb?.line ?? Int.max, lb?.column ?? Int.max)
            return ka != kb ? ka < kb : a.column < b.column
        }
    }

    public func unknownItem(in instrument: Instrument) -> Diagnostic? {
        for (column, item) in itemsInFileOrder where instrument.itemIndex(item) == nil {
            let near = YAMLKeys.nearest(item, among: instrument.items.map(\.id)).map { " (did you mean '\($0)'?)" } ?? ""
            return Diagnostic(.error, "source '\(id)': items maps column '\(column)' to '\(item)', which the instrument does not define" + near,
                              at: itemLocations[column] ?? location)
        }
        return nil
    }

    public init(id: String, kind: SourceKind, format: SourceFormat, path: String, period: Period? = nil,
                fields: [String: String] = [:], items: [String: String] = [:], record: String? = nil,
                delimiter: UInt8? = nil, encoding: String? = nil, dateFormat: String? = nil, timezone: String? = nil,
                includePreviews: Bool = false, includeUnfinished: Bool = false, location: SourceLocation) {
        self.id = id
        self.kind = kind
        self.format = format
        self.path = path
        self.period = period
        self.fields = fields
        self.items = items
        self.record = record
        self.delimiter = delimiter
        self.encoding = encoding
        self.dateFormat = dateFormat
        self.timezone = timezone
        self.includePreviews = includePreviews
        self.includeUnfinished = includeUnfinished
        self.location = location
    }
}

/// The pipeline file resolved: defaults applied, paths absolute, the command line's overrides in.
public struct PipelineConfig: Sendable {
    public var name: String
    public var title: String
    public var pipelinePath: String
    /// `2026-Q3`, `previous-quarter` or `current-quarter`, resolved at run time.
    public var periodSpec: String
    public var timezone: String
    /// The SQLite file's absolute path, or the PostgreSQL URL as written (`storeLocation`).
    public var storePath: String
    public var teamsPath: String
    public var instrumentPath: String
    public var sources: [SourceConfig]
    public var metrics: MetricSettings
    public var pseudonymKeyEnv: String
    public var pseudonymKeyFile: String?
    public var maxRejectedRatio: Double
    /// Report folder pattern with `{period}`.
    public var reportsDir: String
    public var html: Bool
    public var csv: Bool
    /// Where `organization.teams` and `instrument` are written in the pipeline file (for errors about those files).
    public var teamsLocation: SourceLocation?
    public var instrumentLocation: SourceLocation?
    /// Where `period:` is written; nil when `--period` gave it or the file has none.
    public var periodLocation: SourceLocation?
    /// Where `reports.dir` is written in the pipeline file; nil when `--out` gave the folder (or the default applies).
    public var reportsDirLocation: SourceLocation?
    /// `team_map`: earlier periods' team ids -> this period's, applied before changes and trends.
    public var teamMap: TeamMap = TeamMap()
    /// Where each `team_map` entry is (old id -> location), for errors found once the organisation is read.
    public var teamMapLocations: [String: SourceLocation] = [:]
    /// `branding:` (logo, accent colour), validated when the file is loaded.
    public var branding = ReportBranding()

    public init(name: String, title: String, pipelinePath: String, periodSpec: String, timezone: String, storePath: String,
                teamsPath: String, instrumentPath: String, sources: [SourceConfig], metrics: MetricSettings,
                pseudonymKeyEnv: String, pseudonymKeyFile: String?, maxRejectedRatio: Double, reportsDir: String,
                html: Bool, csv: Bool) {
        self.name = name
        self.title = title
        self.pipelinePath = pipelinePath
        self.periodSpec = periodSpec
        self.timezone = timezone
        self.storePath = storePath
        self.teamsPath = teamsPath
        self.instrumentPath = instrumentPath
        self.sources = sources
        self.metrics = metrics
        self.pseudonymKeyEnv = pseudonymKeyEnv
        self.pseudonymKeyFile = pseudonymKeyFile
        self.maxRejectedRatio = maxRejectedRatio
        self.reportsDir = reportsDir
        self.html = html
        self.csv = csv
    }

    /// The report folder for `period`.
    public func reportsDirectory(for period: Period) -> String {
        reportsDir.replacingAll("{period}", with: period.description)
    }
}

extension String {
    /// Every occurrence of `target` replaced (Foundation-free).
    public func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension PipelineConfig {
    /// Where the store is (`store:` or `--store`, checked when the file was loaded).
    public var storeLocation: StoreLocation { (try? StoreLocation(storePath)) ?? .sqlite(path: storePath) }

    /// The store as messages and logs name it (a URL without its password).
    public var storeDisplay: String { storeLocation.displayLocation }
}
