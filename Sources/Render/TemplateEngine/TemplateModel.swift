import Mustache

/// A page model as `TemplateRenderer` reads it: each name of the templates' vocabulary (`TemplateName`)
/// answered with a typed `TemplateValue`.
///
/// Names are resolved to `TemplateName` cases once, when the templates are loaded, so a lookup is a switch
/// over small integers, and a value is handed back without boxing it into `Any` or casting it back
/// (docs/DECISIONS.md 28). `MustacheParent` (swift-mustache's protocol, which the engine tests use as the
/// reference renderer) comes with it: `child(named:)` answers the same values.
protocol TemplateModel: MustacheParent {
    /// The value of `name`, or `.missing` when this model does not have it (the lookup then goes on in the
    /// enclosing sections, as Mustache's context stack does).
    func value(of name: TemplateName) -> TemplateValue
    /// A name outside `TemplateName`: only models keyed by arbitrary text (such as a dictionary) have one.
    func value(named text: String) -> TemplateValue
}

extension TemplateModel {
    func value(named text: String) -> TemplateValue { .missing }

    func child(named name: String) -> Any? {
        (TemplateName(rawValue: name).map(value(of:)) ?? value(named: name)).any
    }
}

/// What a template name stands for on a model.
///
/// Models and lists are held by reference (`ModelFrame`, `ModelList`), so that a value is a single word or a
/// string: copying one is a retain, and reading its payload needs no copy of the enum (an enum holding an
/// existential would be copied whole each time a `switch` looks inside it).
enum TemplateValue {
    /// The model does not have the name (or its optional part is absent).
    case missing
    case text(String)
    case number(Int)
    case flag(Bool)
    /// A nested model, as the context-stack level it becomes when a section enters it.
    case model(ModelFrame)
    /// An array of models: a section is entered once per element.
    case list(ModelList)
    /// Any other list (of texts, numbers, ...).
    case values([TemplateValue])

    init(_ text: String) { self = .text(text) }
    init(_ flag: Bool) { self = .flag(flag) }
    init(_ number: Int) { self = .number(number) }
    init(_ model: some TemplateModel) { self = .model(ModelFrame(model)) }
    init(_ model: (some TemplateModel)?) { self = model.map { .model(ModelFrame($0)) } ?? .missing }
    init<Element: TemplateModel>(_ list: [Element]) { self = .list(ModelArray(list)) }

    /// This value, or `other`'s where this one is missing: a page model asking a part of itself next.
    func or(_ other: @autoclosure () -> TemplateValue) -> TemplateValue {
        if case .missing = self { other() } else { self }
    }

    /// The value as `MustacheParent.child(named:)` hands it to swift-mustache.
    var any: Any? {
        switch self {
        case .missing: nil
        case .text(let text): text
        case .number(let number): number
        case .flag(let flag): flag
        case .model(let frame): frame.model
        case .list(let list): list.array
        case .values(let values): values.compactMap(\.any)
        }
    }
}

/// Every name the page models answer: the templates' vocabulary. A name a template uses that is not here
/// resolves to nothing, as a name no model has.
enum TemplateName: String, CaseIterable, Sendable {
    case accent, accepted, accountability, agingWIP, alpha, alphaCases, anchor, answered, areas, autonomy
    case axisLabelX, axisLabelY, balance, barWidth, bars, barsPath, base, baseY, belowMinimum, blank, borderline
    case breaks, caption, cellHeight, cellWidth, cells, change, changeClass, children, code, columns, comments
    case complementary, confidentiality, configHash, configHashShort, correlation, count, countY, crumbs, cssClass
    case cx, cy, cycleP50, cycleScatter, dataQuality, date, days, detail, difference, dotCount, dotCountText, dots
    case drivers, emptyNote, engagement, enps, errors, errorsWord, exports, factor, factors, favorable, file, findings, frame, fullName
    case generatedAt, gridWidth, h, hasAccent, hasAgingWIP, hasCSV, hasChange, hasChildren, hasComments
    case hasCommentsSection, hasCorrelation, hasCycleScatter, hasDetail, hasDifference, hasDots, hasDrivers
    case hasExports, hasFactors, hasFindings, hasFlowCharts, hasHeadline, hasHeatmap, hasHref, hasImports, hasInterval
    case hasLeftOut, hasLogo, hasMarker, hasMore, hasMoreSuppressions, hasName2, hasPartWeeks, hasNote, hasP85, hasQuadrant
    case hasReliability, hasRole, hasRows, hasSelf, hasStrength, hasSuppressionNote, hasSuppressions, hasThroughput
    case hasTrends, hasWeights, headcount, header2Y, headerY, headlineHref, headlineName, heatmap, height, help
    case hiddenText, hiddenTextX, hiddenX, highLabelY, highText, href, icc1, icc2, iccRespondents, id
    case ideasImplemented, ideasWord, impact, imports, improvement, improvementTiles, infos, infosWord, instrument, interval, isEmpty
    case isHidden, isReference, isSuppressed, isWithheld, itemId, items, label, labelX, labelY, labels, lastText
    case left, leftOut, legend, level, lines, location, logo, lowAgreement, lowAlpha, lowText, marker, maxLabelY
    case maxText, message, minRespondents, moreNote, moreSuppressions, name, name2, note, number, p85Anchor
    case p85Label, p85LabelDX, p85LabelY, p85X, pageTitle, pairs, panels, partNote, partPath, path, period, pipeline, plotBottom
    case plotHeight, plotLeft, plotRight, plotTop, plotWidth, points, pos, presentation, priority, quadrant, r, read
    case reason, rejected, reliability, reportTitle, respondents, respondentsNote, responseRate, right, role, rows
    case sampleNote, score, selfLabel, size, selfTooltip, selfX, selfY, settings, severity, showNumbers, source
    case statistics, strengthX, strengthY, summary, superseded, suppressed, suppressedNote, suppressionCount
    case suppressionNote, suppressions, survey, surveyTiles, table, tableCells, teamId, term, text, textX, textY
    case threshold, throughput, tickY, ticks, title, toolVersion, tooltip, topY, total, trends, unchanged, unit
    case unitCount, unitsWord, value, w, warnings, warningsWord, week, weekLabelY, weight, why, width, withheld, x, xLabelX, xLabelY, xTicks
    case y, yLabelX, yLabelY, yTickX, yTicks
}
