/// The built-in `drivers.mustache` as Swift code (`NativePartial`): the same bytes, written without the template
/// engine. Positions, correlations, percentages and weights made by `SVGNumber`/`NumberText`/`FigureFormatter` are
/// written as they are (escaping leaves them unchanged); item ids, question texts, labels and notes are escaped as
/// `{{value}}` is.
extension DriverChart {
    static let nativePartial = NativePartial(for: DriverChart.self) { $0.writeHTML(to: $1) }
    /// The chart's fixed positions as texts, made once.
    static let frameTexts = frame.texts
    static let yTickX = SVGNumber.text(left - 5)
    static let xLabelX = SVGNumber.text(left + (width - left - right) / 2)
    static let xLabelY = SVGNumber.text(top + plotHeight + 34)
    static let yLabelY = SVGNumber.text(top + plotHeight / 2)

    func writeHTML(to out: ByteBuffer) {
        let f = Self.frameTexts
        out.append("<div class=\"chart\">\n<svg viewBox=\"0 0 ")
        out.append(utf8: f.width)
        out.append(" ")
        out.append(utf8: f.height)
        out.append("\" role=\"img\" aria-label=\"")
        out.append(escaping: summary)
        out.append("\">\n")
        for tick in xTicks {
            out.appendLine("grid", x1: tick.pos, y1: f.topY, x2: tick.pos, y2: f.baseY)
            out.append("<text x=\"")
            out.append(utf8: tick.pos)
            out.append("\" y=\"")
            out.append(utf8: f.tickY)
            out.append("\" text-anchor=\"middle\">")
            out.append(escaping: tick.label)
            out.append("</text>")
        }
        out.append("\n")
        for tick in yTicks {
            out.appendLine("grid", x1: f.left, y1: tick.pos, x2: f.right, y2: tick.pos)
            out.append("<text x=\"")
            out.append(utf8: Self.yTickX)
            out.append("\" y=\"")
            out.append(utf8: tick.pos)
            out.append("\" dy=\"4\" text-anchor=\"end\">")
            out.append(escaping: tick.label)
            out.append("</text>")
        }
        out.append("\n")
        out.appendLine("axis", x1: f.left, y1: f.baseY, x2: f.right, y2: f.baseY)
        out.appendLine("axis", x1: f.left, y1: f.topY, x2: f.left, y2: f.baseY)
        out.append("\n")
        if !strengthX.isEmpty { out.appendLine("strength", x1: strengthX, y1: f.topY, x2: strengthX, y2: f.baseY) }
        out.append("\n")
        for dot in dots where !dot.priority {
            out.append("<circle class=\"drv\" cx=\"")
            writeTitle(of: dot, circle: "\" r=\"4\"><title>", to: out)
            out.append(")</title></circle>")
        }
        out.append("\n")
        for dot in dots where dot.priority {
            out.append("<circle class=\"drv pri\" cx=\"")
            writeTitle(of: dot, circle: "\" r=\"6\"><title>", to: out)
            out.append(", priority)</title></circle><text class=\"num\" x=\"")
            out.append(utf8: dot.labelX)
            out.append("\" y=\"")
            out.append(utf8: dot.labelY)
            out.append("\">")
            out.append(escaping: dot.itemId)
            out.append("</text>")
        }
        out.append("\n<text x=\"")
        out.append(utf8: Self.xLabelX)
        out.append("\" y=\"")
        out.append(utf8: Self.xLabelY)
        out.append("\" text-anchor=\"middle\">Score (% favourable) &#8594;</text>\n<text x=\"12\" y=\"")
        out.append(utf8: Self.yLabelY)
        out.append("\" text-anchor=\"middle\" transform=\"rotate(-90 12 ")
        out.append(utf8: Self.yLabelY)
        out.append(")\">Impact on engagement (r) &#8594;</text>\n</svg>\n<div class=\"side\">\n")
        out.append("<ul class=\"legend\"><li><span class=\"sw pri\"></span><b>priority</b>: strong link with engagement and a low score &mdash; where improvement pays most</li><li><span class=\"sw drv\"></span>other items</li></ul>\n")
        out.append("<p class=\"lede\">Each dot is a question. Up: the more strongly its answers go with engagement; right: the more favourable. Dashed line: the strength threshold. ")
        out.append(escaping: respondentsNote)
        out.append(" A correlation is not proof of cause.</p>\n<details><summary>Driver data</summary>\n")
        out.append("<table><thead><tr><th scope=\"col\">Item</th><th scope=\"col\">Question</th><th scope=\"col\" class=\"n\">Impact r</th><th scope=\"col\" class=\"n\">% favourable</th><th scope=\"col\" class=\"n\">Pairs</th><th scope=\"col\">Priority</th>")
        if hasWeights { out.append("<th scope=\"col\" class=\"n\">Relative weight</th>") }
        out.append("</tr></thead>\n<tbody>")
        for dot in dots {
            out.append("<tr><td><code>")
            out.append(escaping: dot.itemId)
            out.append("</code></td><td>")
            out.append(escaping: dot.text)
            out.append("</td><td class=\"n\">")
            out.append(utf8: dot.impact)
            out.append("</td><td class=\"n\">")
            out.append(utf8: dot.score)
            out.append("</td><td class=\"n\">")
            NumberText.append(integer: dot.pairs, to: out)
            out.append(dot.priority ? "</td><td>priority</td>" : "</td><td></td>")
            if hasWeights {
                out.append("<td class=\"n\">")
                out.append(utf8: dot.weight)
                out.append("</td>")
            }
            out.append("</tr>")
        }
        out.append("</tbody></table>\n")
        if hasWeights { out.append("<p class=\"lede\">Relative weight (Johnson 2000): the share of the variance in engagement that an item accounts for among all the items together; the weights add up to R&sup2;.</p>") }
        out.append("\n</details>\n</div>\n</div>\n")
    }

    /// A dot's position and the start of its tooltip, `ITEM: TEXT (impact r = R, S% favourable`.
    private func writeTitle(of dot: Dot, circle: StaticString, to out: ByteBuffer) {
        out.append(utf8: dot.x)
        out.append("\" cy=\"")
        out.append(utf8: dot.y)
        out.append(circle)
        out.append(escaping: dot.itemId)
        out.append(": ")
        out.append(escaping: dot.text)
        out.append(" (impact r = ")
        out.append(utf8: dot.impact)
        out.append(", ")
        out.append(utf8: dot.score)
        out.append("% favourable")
    }
}
