import LeanPulseCore
import Mustache

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

// MARK: - Mustache access (switch lookups: no Mirror, no dictionary boxing)

extension Figure: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "blank": blank
        case "why": why
        default: nil
        }
    }
}

extension Tile: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "value": value
        case "unit": unit
        case "detail": detail
        case "hasDetail": !detail.isEmpty
        case "help": help
        case "accent": accent
        case "change": change
        case "hasChange": !change.isEmpty
        case "changeClass": changeClass
        default: nil
        }
    }
}

extension Crumb: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "href": href
        default: nil
        }
    }
}

extension QuadrantBadge: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "cssClass": cssClass
        case "borderline": borderline
        case "hasQuadrant": !label.isEmpty
        default: nil
        }
    }
}

extension UnitRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "teamId": teamId
        case "href": href
        case "level": level
        case "respondents": respondents
        case "responseRate": responseRate
        case "engagement": engagement
        case "enps": enps
        case "autonomy": autonomy
        case "accountability": accountability
        case "balance": balance
        case "quadrant": quadrant
        case "ideasImplemented": ideasImplemented
        case "cycleP50": cycleP50
        case "suppressed": suppressed
        default: nil
        }
    }
}

extension UnitTable: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "caption": caption
        case "rows": rows
        case "hasRows": !rows.isEmpty
        case "note": note
        case "hasNote": !note.isEmpty
        default: nil
        }
    }
}

extension DataQualitySection: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "imports": imports
        case "hasImports": !imports.isEmpty
        case "errors": errors
        case "warnings": warnings
        case "infos": infos
        case "findings": findings
        case "hasFindings": !findings.isEmpty
        case "moreNote": moreNote
        case "hasMore": !moreNote.isEmpty
        default: nil
        }
    }
}

extension DataQualitySection.ImportRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "source": source
        case "file": file
        case "read": read
        case "accepted": accepted
        case "rejected": rejected
        case "superseded": superseded
        case "unchanged": unchanged
        default: nil
        }
    }
}

extension DataQualitySection.FindingRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "severity": severity
        case "location": location
        case "source": source
        case "code": code
        case "message": message
        default: nil
        }
    }
}
