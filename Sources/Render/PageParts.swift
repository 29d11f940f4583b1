import LeanPulseCore

/// A headline figure on a page.
struct Tile {
    var label: String
    var value: Figure
    /// Unit after the value (`%`, `days`), shown only when the value is.
    var unit: String = ""
    /// A second line: interval, change, counts.
    var detail: String = ""
    /// What the figure means, in words.
    var help: String = ""
    /// Extra CSS class (a quadrant colour).
    var accent: String = ""
    /// The change against the previous period ("" where no comparison exists yet: a slot for each figure).
    var change: String = ""
    /// `up`, `down` or `flat`.
    var changeClass: String = ""
}

/// A link in the breadcrumb.
struct Crumb {
    var name: String
    var href: String
}

/// A unit's quadrant as a badge.
struct QuadrantBadge {
    var label: String
    var cssClass: String
    var borderline: Bool

    init(_ quadrant: Quadrant?, borderline: Bool?) {
        label = quadrant?.rawValue ?? ""
        cssClass = quadrant?.cssClass ?? ""
        self.borderline = borderline == true
    }

    var isEmpty: Bool { label.isEmpty }
}

/// One row of a unit table.
struct UnitRow {
    var name: String
    var teamId: String
    var href: String
    var level: Int
    var respondents: Figure
    var responseRate: Figure
    var engagement: Figure
    var enps: Figure
    var autonomy: Figure
    var accountability: Figure
    var balance: Figure
    var quadrant: QuadrantBadge
    var ideasImplemented: String
    var cycleP50: Figure
    var suppressed: Bool
}

/// A table of units with its caption.
struct UnitTable {
    var caption: String
    var rows: [UnitRow]
    /// Shown under the table when rows were left out.
    var note: String
}

/// The data-quality section: per-file counts and the first findings.
struct DataQualitySection {
    struct ImportRow {
        var source: String
        var file: String
        var read: Int
        var accepted: Int
        var rejected: Int
        var superseded: Int
        var unchanged: Bool
    }

    struct FindingRow {
        var severity: String
        var location: String
        var source: String
        var code: String
        var message: String
    }

    var imports: [ImportRow]
    var errors: Int
    var warnings: Int
    var infos: Int
    var findings: [FindingRow]
    var moreNote: String
}

// MARK: - Template access (TemplateModel)

extension Figure: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .text: .init(text)
        case .blank: .init(blank)
        case .why: .init(why)
        default: .missing
        }
    }
}

extension Tile: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .label: .init(label)
        case .value: .init(value)
        case .unit: .init(unit)
        case .detail: .init(detail)
        case .hasDetail: .init(!detail.isEmpty)
        case .help: .init(help)
        case .accent: .init(accent)
        case .change: .init(change)
        case .hasChange: .init(!change.isEmpty)
        case .changeClass: .init(changeClass)
        default: .missing
        }
    }
}

extension Crumb: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .name: .init(self.name)
        case .href: .init(href)
        default: .missing
        }
    }
}

extension QuadrantBadge: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .label: .init(label)
        case .cssClass: .init(cssClass)
        case .borderline: .init(borderline)
        case .hasQuadrant: .init(!label.isEmpty)
        default: .missing
        }
    }
}

extension UnitRow: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .name: .init(self.name)
        case .teamId: .init(teamId)
        case .href: .init(href)
        case .level: .init(level)
        case .respondents: .init(respondents)
        case .responseRate: .init(responseRate)
        case .engagement: .init(engagement)
        case .enps: .init(enps)
        case .autonomy: .init(autonomy)
        case .accountability: .init(accountability)
        case .balance: .init(balance)
        case .quadrant: .init(quadrant)
        case .ideasImplemented: .init(ideasImplemented)
        case .cycleP50: .init(cycleP50)
        case .suppressed: .init(suppressed)
        default: .missing
        }
    }
}

extension UnitTable: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .caption: .init(caption)
        case .rows: .init(rows)
        case .hasRows: .init(!rows.isEmpty)
        case .note: .init(note)
        case .hasNote: .init(!note.isEmpty)
        default: .missing
        }
    }
}

extension DataQualitySection: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .imports: .init(imports)
        case .hasImports: .init(!imports.isEmpty)
        case .errors: .init(errors)
        case .warnings: .init(warnings)
        case .infos: .init(infos)
        case .errorsWord: .init(Plural.noun(errors, "error"))
        case .warningsWord: .init(Plural.noun(warnings, "warning"))
        case .infosWord: .init(Plural.noun(infos, "note"))
        case .findings: .init(findings)
        case .hasFindings: .init(!findings.isEmpty)
        case .moreNote: .init(moreNote)
        case .hasMore: .init(!moreNote.isEmpty)
        default: .missing
        }
    }
}

extension DataQualitySection.ImportRow: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .source: .init(source)
        case .file: .init(file)
        case .read: .init(read)
        case .accepted: .init(accepted)
        case .rejected: .init(rejected)
        case .superseded: .init(superseded)
        case .unchanged: .init(unchanged)
        default: .missing
        }
    }
}

extension DataQualitySection.FindingRow: TemplateModel {
    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .severity: .init(severity)
        case .location: .init(location)
        case .source: .init(source)
        case .code: .init(code)
        case .message: .init(message)
        default: .missing
        }
    }
}
