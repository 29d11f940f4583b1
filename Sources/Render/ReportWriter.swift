import Foundation
import LeanPulseCore

/// Writes one period's report folder: HTML pages, CSV exports and `manifest.json` (DESIGN.md "Outputs").
public enum ReportWriter {
    /// Writes the report into `directory`, an existing empty folder (the runner publishes it atomically).
    /// - Parameter dataset: the period's rows, for the per-idea charts and the comments of the unit pages
    ///   (bounded samples per unit, see `UnitDetails`); without it those sections are left out.
    public static func write(_ input: ReportInput, to directory: String, options: RenderOptions, dataset: PeriodDataset? = nil) throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let folder = try OutputFolder(root: directory)
        let tree = UnitTree(units: input.metrics.units)
        if options.csv {
            // The exports are independent files: written on both cores, the largest first (each core takes the
            // next one as it finishes one), while the second core is otherwise idle until the pages start.
            try folder.writeInParallel([
                { folder in
                    try folder.writeCSV(header: itemScoreColumns, to: "item_scores.csv") { itemScoreRows(input, into: &$0) }
                },
                { folder in try writeHistoryCSVs(input, to: folder) },
                { folder in try folder.write(teamMetricsCSV(input), to: "team_metrics.csv") },
                { folder in try folder.write(improvementFlowCSV(input, tree: tree), to: "improvement_flow.csv") },
                { folder in try folder.write(suppressionLogCSV(input, tree: tree), to: "suppression_log.csv") },
                { folder in try writeStatisticsCSVs(input, to: folder) },
                { folder in try folder.write(dataQualityCSV(input), to: "data_quality.csv") },
            ])
        }
        if options.html {
            try writeHTML(input, tree: tree, options: options, folder: folder, dataset: dataset)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        try folder.write(manifestJSON(input, outputs: folder.written, renderSeconds: seconds), to: "manifest.json")
    }

    /// The pages: `index.html`, `methods.html`, `data.html`, `teams/<id>.html` for every unit.
    static func writeHTML(_ input: ReportInput, tree: UnitTree, options: RenderOptions, folder: OutputFolder,
                          dataset: PeriodDataset?) throws(RenderError) {
        let templates = try TemplateSet(overrideDirectory: options.templatesDirectory)
        let frame = try templates.render(QuadrantFrame(threshold: input.settings.strengthThreshold), "quadrant-frame")
        let details = dataset.map {
            UnitDetails(dataset: $0, tree: tree, period: input.metrics.period, cycleTimeInclusive: input.settings.cycleTimeInclusive,
                        maxPoints: max(0, options.maxScatterPoints), maxComments: max(0, options.maxComments),
                        minCommentRespondents: input.settings.minCommentRespondents)
        } ?? .empty
        let ctx = PageContext(input: input, tree: tree, options: options, quadrantFrame: frame, details: details)
        try folder.write(templates.render(OrganizationPageModel(ctx), "index"), to: "index.html")
        try folder.write(templates.render(MethodsPageModel(ctx), "methods"), to: "methods.html")
        try folder.write(templates.render(DataPageModel(ctx), "data"), to: "data.html")
        try folder.makeFolder("teams")
        try folder.writeConcurrently(count: tree.units.count) { (i) throws(RenderError) in
            let page = try templates.renderBytes(UnitPageModel(ctx, position: i), "team")
            return (page, "teams/" + TeamPageName.fileName(for: tree.units[i].teamId))
        }
    }
}
