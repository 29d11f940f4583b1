/// The plot area of an SVG chart, and the names its templates read it by: `width`, `height`, `left`,
/// `right` (the plot's right edge), `topY`, `baseY` (the plot's bottom) and `tickY` (where x-axis labels go).
struct PlotFrame {
    var width: Double
    var height: Double
    var left: Double
    var right: Double
    var top: Double
    var plotHeight: Double

    /// The names' texts, for a chart's Swift writer (made once per chart type, not per page).
    struct Texts: Sendable {
        let width, height, left, right, topY, baseY, tickY: String
    }

    var texts: Texts {
        Texts(width: SVGNumber.text(width), height: SVGNumber.text(height), left: SVGNumber.text(left),
              right: SVGNumber.text(width - right), topY: SVGNumber.text(top), baseY: SVGNumber.text(top + plotHeight),
              tickY: SVGNumber.text(top + plotHeight + 16))
    }

    func value(of name: TemplateName) -> TemplateValue {
        switch name {
        case .width: .init(SVGNumber.text(width))
        case .height: .init(SVGNumber.text(height))
        case .left: .init(SVGNumber.text(left))
        case .right: .init(SVGNumber.text(width - right))
        case .topY: .init(SVGNumber.text(top))
        case .baseY: .init(SVGNumber.text(top + plotHeight))
        case .tickY: .init(SVGNumber.text(top + plotHeight + 16))
        default: .missing
        }
    }
}
