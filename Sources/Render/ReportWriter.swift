import Foundation
import LeanPulseCore

/// Writes one period's report folder: HTML pages, CSV exports and `manifest.json` (DESIGN.md "Outputs").
public enum ReportWriter {
    /// A report ready to be written: the unit tree, and what the pages need from the period's rows (bounded samples
    /// per unit, `UnitDetails`), drawn once, so that the caller can release the rows before the pages are written
    /// (at 1M employees they are a quarter of the run's memory).
    public struct Prepared: Sendable {
        let input: ReportInput
        let options: RenderOptions
        let tree: UnitTree
        let details: UnitDetails
        let started: UInt64
    }

    /// Prepares the report of `input`.
    /// - Parameter dataset: the period's rows, for the per-idea charts and the comments of the unit pages; without it
    ///   those sections are left out.
    public static func prepare(_ input: ReportInput, options: RenderOptions, dataset: PeriodDataset?) -> Prepared {
        let started = DispatchTime.now().uptimeNanoseconds
        let tree = UnitTree(units: input.metrics.units)
        let details = options.html ? dataset.map {
            UnitDetails(dataset: $0, tree: tree, period: input.metrics.period, cycleTimeInclusive: input.settings.cycleTimeInclusive,
                        maxPoints: max(0, options.maxScatterPoints), maxComments: max(0, options.maxComments),
                        minCommentRespondents: input.settings.minCommentRespondents)
        } ?? .empty : .empty
        return Prepared(input: input, options: options, tree: tree, details: details, started: started)
    }

    /// Writes the report into `directory`, an existing empty folder (the runner publishes it atomically).
    public static func write(_ input: ReportInput, to directory: String, options: RenderOptions, dataset: PeriodDataset? = nil) throws {
        try write(prepare(input, options: options, dataset: dataset), to: directory)
    }

    /// Pages written so far, of how many, and their bytes; called from the rendering threads.
    public typealias Progress = @Sendable (_ written: Int, _ of: Int, _ bytes: Int) -> Void

    /// Writes a prepared report into `directory`, an existing empty folder.
    /// - Parameter interruption: once it is requested no further file is started, and `Interrupted` is thrown before
    ///   the manifest (the caller removes the folder).
    /// - Parameter progress: told how far the pages are, a few hundred times over the render.
    public static func write(_ report: Prepared, to directory: String, interruption: Interruption? = nil,
                             progress: Progress? = nil) throws {
        let (input, options, tree) = (report.input, report.options, report.tree)
        let folder = try OutputFolder(root: directory)
        folder.interruption = interruption
        folder.progress = progress
        if options.csv {
            // The exports are independent files: written on both cores, the largest first (each core takes the
            // next one as it finishes one), while the second core is otherwise idle until the pages start.
            try folder.writeInParallel([
                { folder in
                    try folder.writeCSV(header: itemScoreColumns, to: "item_scores.csv") { itemScoreRows(input, into: &$0) }
                },
                { folder in try writeHistoryCSVs(input, to: folder) },
                { folder in try folder.writeCSV(header: teamMetricsColumns, to: "team_metrics.csv") { teamMetricsRows(input, into: &$0) } },
                { folder in
                    try folder.writeCSV(header: improvementFlowColumns, to: "improvement_flow.csv") { improvementFlowRows(input, tree: tree, into: &$0) }
                },
                { folder in try folder.write(suppressionLogCSV(input, tree: tree), to: "suppression_log.csv") },
                { folder in try writeStatisticsCSVs(input, to: folder) },
                { folder in try folder.write(dataQualityCSV(input), to: "data_quality.csv") },
            ])
        }
        if options.html {
            try writeHTML(input, tree: tree, options: options, folder: folder, details: report.details)
        }
        try interruption?.check()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - report.started) / 1e9
        try folder.write(manifestJSON(input, outputs: folder.written, renderSeconds: seconds), to: "manifest.json")
    }

    /// The pages: `index.html`, `methods.html`, `data.html`, `teams/<id>.html` for every unit.
    static func writeHTML(_ input: ReportInput, tree: UnitTree, options: RenderOptions, folder: OutputFolder,
                          details: UnitDetails) throws(RenderError) {
        let templates = try TemplateSet(overrideDirectory: options.templatesDirectory)
        let frame = try templates.render(QuadrantFrame(threshold: input.settings.strengthThreshold), "quadrant-frame")
        let ctx = PageContext(input: input, tree: tree, options: options, quadrantFrame: frame, details: details)
        let exportsWritten = folder.written
        try folder.makeFolder("teams")
        // The three organisation pages first, among the unit pages: made one after the other before them, they kept
        // the second core idle (the organisation page alone takes a while at 83k units).
        try folder.writeConcurrently(count: 3 + tree.units.count) { (i, page) throws(RenderError) in
            switch i {
            case 0: try templates.render(OrganizationPageModel(ctx), "index", into: page); return "index.html"
            case 1: try templates.render(MethodsPageModel(ctx), "methods", into: page); return "methods.html"
            case 2: try templates.render(DataPageModel(ctx, written: exportsWritten), "data", into: page); return "data.html"
            default:
                let position = i - 3
                try templates.render(UnitPageModel(ctx, position: position), "team", into: page)
                return "teams/" + TeamPageName.fileName(for: tree.units[position].teamId)
            }
        }
    }
}
