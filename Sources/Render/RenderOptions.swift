import LeanPulseCore

/// What `ReportWriter` writes: HTML pages, CSV exports (the manifest is always written).
public struct RenderOptions: Sendable, Hashable {
    /// Write `index.html`, `methods.html` and `teams/*.html`.
    public var html: Bool
    /// Write `team_metrics.csv`, `data_quality.csv`, `suppression_log.csv`, `improvement_flow.csv`.
    public var csv: Bool
    /// A folder whose `NAME.mustache` files replace the built-in templates of the same name (restyling without rebuilding).
    public var templatesDirectory: String?
    /// How many findings the organisation page lists (all of them are in `data_quality.csv`).
    public var maxListedFindings: Int
    /// How many dots a quadrant chart draws at most (the largest units by headcount).
    public var maxChartDots: Int
    /// The deepest level (root = 0) the organisation page's unit table lists.
    public var indexTableDepth: Int
    /// Logo and accent colour from the pipeline file's `branding:` (validated there).
    public var branding: ReportBranding = ReportBranding()
    /// How many comments a unit page shows at most (a deterministic sample of the subtree's comments).
    public var maxComments: Int = 30
    /// How many implemented ideas a cycle-time scatter draws at most (a deterministic sample).
    public var maxScatterPoints: Int = 100
    /// How many findings and suppressions `data.html` lists of each (all are in the CSV files).
    public var maxDataPageRows: Int = 200

    public init(html: Bool = true, csv: Bool = true, templatesDirectory: String? = nil, maxListedFindings: Int = 50,
                maxChartDots: Int = 60, indexTableDepth: Int = 2) {
        self.html = html
        self.csv = csv
        self.templatesDirectory = templatesDirectory
        self.maxListedFindings = maxListedFindings
        self.maxChartDots = maxChartDots
        self.indexTableDepth = indexTableDepth
    }
}
