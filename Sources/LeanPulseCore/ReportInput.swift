/// An input file as recorded in the manifest.
public struct InputFileRecord: Sendable, Hashable, Codable {
    public var source: String
    public var path: String
    public var sha256: String
    public var bytes: Int64

    public init(source: String, path: String, sha256: String, bytes: Int64) {
        self.source = source
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
    }
}

/// Everything Render needs to write one period's reports; built by the runner.
public struct ReportInput: Sendable {
    public var title: String
    public var pipelineName: String
    public var period: Period
    /// ISO 8601 UTC time of the run, e.g. `2026-11-25T13:00:00Z`.
    public var generatedAt: String
    public var toolVersion: String
    public var instrument: Instrument
    public var settings: MetricSettings
    public var metrics: PeriodMetrics
    public var findings: [DataQualityFinding]
    public var importCounts: [ImportCounts]
    public var inputs: [InputFileRecord]
    /// sha256 of the pipeline file and instrument file bytes together.
    public var configHash: String
    /// Stage name -> seconds.
    public var timings: [(stage: String, seconds: Double)]
    /// What the report was computed from, hashed (`manifest.json`; a re-run with the same fingerprint publishes nothing).
    public var fingerprint: String?

    public init(title: String, pipelineName: String, period: Period, generatedAt: String, toolVersion: String,
                instrument: Instrument, settings: MetricSettings, metrics: PeriodMetrics, findings: [DataQualityFinding],
                importCounts: [ImportCounts], inputs: [InputFileRecord], configHash: String,
                timings: [(stage: String, seconds: Double)]) {
        self.title = title
        self.pipelineName = pipelineName
        self.period = period
        self.generatedAt = generatedAt
        self.toolVersion = toolVersion
        self.instrument = instrument
        self.settings = settings
        self.metrics = metrics
        self.findings = findings
        self.importCounts = importCounts
        self.inputs = inputs
        self.configHash = configHash
        self.timings = timings
    }
}

/// The version written into manifests and shown by `leanpulse --version`.
public enum LeanPulseVersion {
    public static let current = "0.1.0"
}
