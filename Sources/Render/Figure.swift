import LeanPulseCore

/// A number as a page shows it (METRICS.md 7): its text, or an em dash with the reason it is blank.
struct Figure {
    var text: String
    var blank: Bool
    /// Why the value is blank (tooltip), "" when shown.
    var why: String

    static func shown(_ text: String) -> Figure { Figure(text: text, blank: false, why: "") }
}

/// Formats a unit's figures for HTML: whole numbers for percentages and scores, one decimal for rates and days.
struct FigureFormatter {
    let minRespondents: Int
    /// Under `person-mean`, people who answered only part of a factor hide it too (DECISIONS 44).
    var partialAnswersHide = false

    var notDefinedWhy: String { "not defined for this group (no data, or nothing to divide by)" }

    func hiddenWhy(_ reason: SuppressionReason) -> String {
        switch reason {
        case .belowMinimum: "hidden: fewer than \(minRespondents) respondents"
        case .complementary: "hidden so that a group of fewer than \(minRespondents) cannot be worked out by subtraction"
        }
    }

    /// The same, short (a tile's line, a heatmap cell's tooltip).
    var withheldShort: String {
        partialAnswersHide ? "too few answers here, or a few answered only part" : "too few answers here"
    }

    /// Why a shown unit withholds one figure (METRICS.md 6 on the people behind it).
    var withheldWhy: String {
        "hidden: fewer than \(minRespondents) people answered these questions here"
            + (partialAnswersHide ? " (or answered only some of them)" : "") + ", or their answers could be worked out by subtraction"
    }

    /// A survey value: hidden when the unit is suppressed or the figure `withheld` (`UnitMetrics.hiddenFactors`,
    /// `enpsHidden`), blank when not defined.
    func survey(_ value: Double?, of unit: UnitMetrics, withheld: Bool = false, _ text: (Double) -> String) -> Figure {
        if let reason = unit.suppression { return Figure(text: "\u{2014}", blank: true, why: hiddenWhy(reason)) }
        if withheld { return Figure(text: "\u{2014}", blank: true, why: withheldWhy) }
        return plain(value, text)
    }

    /// A value that is never suppressed (ideas, goals, headcount).
    func plain(_ value: Double?, _ text: (Double) -> String) -> Figure {
        guard let value, value.isFinite else { return Figure(text: "\u{2014}", blank: true, why: notDefinedWhy) }
        return .shown(text(value))
    }

    static func whole(_ v: Double) -> String { minusSign(NumberText.whole(v)) }
    static func oneDecimal(_ v: Double) -> String { minusSign(NumberText.oneDecimal(v)) }
    /// Whole number with an explicit sign: `+8`, `−5`, `0`.
    static func signedWhole(_ v: Double) -> String {
        let t = NumberText.whole(v)
        if t == "0" || t.utf8.first == UInt8(ascii: "-") { return minusSign(t) }
        return "+" + t
    }
    /// An interval of whole numbers, `7–59` (typographic minus signs where negative).
    static func wholeRange(_ low: Double, _ high: Double) -> String {
        NumberText.wholeRange(low, high) ?? whole(low) + "\u{2013}" + whole(high)
    }
    /// A 0-1 ratio shown as a whole percentage.
    static func ratioPercent(_ v: Double) -> String { whole(v * 100) }

    /// Typographic minus (U+2212) for display.
    static func minusSign(_ t: String) -> String {
        // By its first byte: the text is ASCII digits, and `hasPrefix`/`dropFirst` walk grapheme clusters.
        t.utf8.first == UInt8(ascii: "-") ? "\u{2212}" + String(decoding: t.utf8.dropFirst(), as: UTF8.self) : t
    }
}

extension Quadrant {
    /// The CSS class of the quadrant's colour.
    var cssClass: String {
        switch self {
        case .sharedResponsibility: "q-sr"
        case .drifting: "q-dr"
        case .commandAndControl: "q-cc"
        case .disengaged: "q-de"
        }
    }

    /// The quadrant's plain-words meaning (METRICS.md 2).
    var meaning: String {
        switch self {
        case .sharedResponsibility: "freedom within a framework"
        case .drifting: "freedom without accountability"
        case .commandAndControl: "accountability without autonomy"
        case .disengaged: "neither autonomy nor accountability"
        }
    }
}
