/// The plot area of an SVG chart, and the names its templates read it by: `width`, `height`, `left`,
/// `right` (the plot's right edge), `topY`, `baseY` (the plot's bottom) and `tickY` (where x-axis labels go).
struct PlotFrame {
    var width: Double
    var height: Double
    var left: Double
    var right: Double
    var top: Double
    var plotHeight: Double

    func child(named name: String) -> Any? {
        switch name {
        case "width": SVGNumber.text(width)
        case "height": SVGNumber.text(height)
        case "left": SVGNumber.text(left)
        case "right": SVGNumber.text(width - right)
        case "topY": SVGNumber.text(top)
        case "baseY": SVGNumber.text(top + plotHeight)
        case "tickY": SVGNumber.text(top + plotHeight + 16)
        default: nil
        }
    }
}
