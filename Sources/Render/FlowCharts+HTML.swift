/// The built-in `cycle-scatter.mustache`, `aging-wip.mustache` and `throughput.mustache` as Swift code
/// (`NativePartial`): the same bytes, written without the template engine. Positions made by `SVGNumber`, paths, dates
/// and counts are written as they are (escaping leaves them unchanged); every other text is escaped as `{{value}}` is.
extension CycleScatter {
    static let nativePartial = NativePartial(for: CycleScatter.self) { $0.writeHTML(to: $1) }

    func writeHTML(to out: ByteBuffer) {
        let f = Self.frameTexts
        out.appendRunChartOpening(width: f.width, height: f.height, label: summary)
        out.appendLine("axis", x1: f.left, y1: f.baseY, x2: f.right, y2: f.baseY)
        out.appendLine("axis", x1: f.left, y1: f.topY, x2: f.left, y2: f.baseY)
        out.append("\n<text x=\"")
        out.append(utf8: f.left)
        out.append("\" dx=\"-4\" y=\"")
        out.append(utf8: Self.maxLabelY)
        out.append("\" text-anchor=\"end\">")
        out.append(utf8: maxText)
        out.append("</text><text x=\"")
        out.append(utf8: f.left)
        out.append("\" dx=\"-4\" y=\"")
        out.append(utf8: f.baseY)
        out.append("\" text-anchor=\"end\">0</text>\n")
        for tick in ticks {
            out.appendLine("grid", x1: tick.x, y1: f.topY, x2: tick.x, y2: f.baseY)
            out.append("<text class=\"wk\" x=\"")
            out.append(utf8: tick.x)
            out.append("\" dx=\"3\" y=\"")
            out.append(utf8: f.tickY)
            out.append("\">")
            out.append(escaping: tick.label)
            out.append("</text>")
        }
        out.append("\n<g class=\"pts\">")
        for point in points {
            out.append("<circle cx=\"")
            out.append(utf8: point.x)
            out.append("\" cy=\"")
            out.append(utf8: point.y)
            out.append("\" r=\"2.6\"/>")
        }
        out.append("</g>\n")
        for line in lines {
            out.appendLine("pline", x1: f.left, y1: line.y, x2: f.right, y2: line.y)
            out.append("<text class=\"plabel\" x=\"")
            out.append(utf8: f.right)
            out.append("\" y=\"")
            out.append(utf8: line.labelY)
            out.append("\" text-anchor=\"end\">")
            out.append(escaping: line.label)
            out.append("</text>")
        }
        out.append("\n<text class=\"wk\" x=\"")
        out.append(utf8: Self.axisLabelX)
        out.append("\" y=\"")
        out.append(utf8: Self.axisLabelY)
        out.append("""
            " text-anchor="middle">implementation date &#8594; &#183; up: days from submission</text>
            </svg>
            <p class="lede">
            """)
        out.append(escaping: sampleNote)
        out.append("""
            </p>
            <details><summary>Scatter data</summary>
            <div class="scroll"><table><thead><tr><th scope="col">Implemented</th><th scope="col" class="n">Cycle time (days)</th>\
            </tr></thead>
            <tbody>
            """)
        for point in points {
            out.append("<tr><td>")
            out.append(utf8: point.date)
            out.append("</td><td class=\"n\">")
            out.append(utf8: point.days)
            out.append("</td></tr>")
        }
        out.append("</tbody></table></div>\n</details>\n")
    }
}

extension AgingWIPChart {
    static let nativePartial = NativePartial(for: AgingWIPChart.self) { $0.writeHTML(to: $1) }

    func writeHTML(to out: ByteBuffer) {
        let f = Self.texts
        out.appendRunChartOpening(width: f.width, height: f.height, label: summary)
        out.appendLine("axis", x1: f.left, y1: f.baseY, x2: f.right, y2: f.baseY)
        out.append("\n")
        for bar in bars {
            out.append("<rect class=\"bar\" x=\"")
            out.append(utf8: bar.x)
            out.append("\" y=\"")
            out.append(utf8: bar.y)
            out.append("\" width=\"")
            out.append(utf8: barWidth)
            out.append("\" height=\"")
            out.append(utf8: bar.h)
            out.append("\"><title>")
            out.append(escaping: bar.label)
            out.append(": ")
            NumberText.append(integer: bar.count, to: out)
            out.append(" open</title></rect><text class=\"wk\" x=\"")
            out.append(utf8: bar.labelX)
            out.append("\" y=\"")
            out.append(utf8: bar.countY)
            out.append("\" text-anchor=\"middle\">")
            NumberText.append(integer: bar.count, to: out)
            out.append("</text><text class=\"wk\" x=\"")
            out.append(utf8: bar.labelX)
            out.append("\" y=\"")
            out.append(utf8: f.labelY)
            out.append("\" text-anchor=\"middle\">")
            out.append(escaping: bar.label)
            out.append("</text>")
        }
        out.append("\n")
        if hasP85 {
            out.appendLine("pline", x1: p85X, y1: f.topY, x2: p85X, y2: f.baseY)
            out.append("<text class=\"plabel\" x=\"")
            out.append(utf8: p85X)
            out.append("\" dx=\"")
            out.append(utf8: p85LabelDX)
            out.append("\" y=\"")
            out.append(utf8: f.p85LabelY)
            out.append("\" text-anchor=\"")
            out.append(escaping: p85Anchor)
            out.append("\">")
            out.append(escaping: p85Label)
            out.append("</text>")
        }
        out.append("\n</svg>\n<p class=\"lede\">")
        NumberText.append(integer: total, to: out)
        out.append(" open ")
        out.append(escaping: ideasWord)
        out.append("""
             at the end of the quarter, by age since submission; 85% are younger than the P85 line.</p>
            <details><summary>Aging data</summary>
            <table><thead><tr><th scope="col">Age</th><th scope="col" class="n">Open ideas</th></tr></thead>
            <tbody>
            """)
        for bar in bars {
            out.append("<tr><td>")
            out.append(escaping: bar.label)
            out.append("</td><td class=\"n\">")
            NumberText.append(integer: bar.count, to: out)
            out.append("</td></tr>")
        }
        out.append("</tbody></table>\n</details>\n")
    }
}

extension ThroughputChart {
    static let nativePartial = NativePartial(for: ThroughputChart.self) { $0.writeHTML(to: $1) }

    func writeHTML(to out: ByteBuffer) {
        let f = Self.frameTexts
        out.appendRunChartOpening(width: f.width, height: f.height, label: summary)
        out.appendLine("axis", x1: f.left, y1: f.baseY, x2: f.right, y2: f.baseY)
        out.append("\n<text x=\"4\" y=\"")
        out.append(utf8: Self.maxLabelY)
        out.append("\">")
        out.append(utf8: maxText)
        out.append("</text><text x=\"4\" y=\"")
        out.append(utf8: f.baseY)
        out.append("\">0</text>\n<path class=\"bar\" d=\"")
        out.append(utf8: barsPath)
        out.append("\"><title>")
        out.append(escaping: summary)
        out.append("</title></path>")
        if !partPath.isEmpty {
            out.append("<path class=\"bar part\" d=\"")
            out.append(utf8: partPath)
            out.append("\"><title>")
            out.append(escaping: partNote)
            out.append("</title></path>")
        }
        out.append("\n")
        for label in labels {
            out.append("<text class=\"wk\" x=\"")
            out.append(utf8: label.x)
            out.append("\" y=\"")
            out.append(utf8: f.tickY)
            out.append("\" text-anchor=\"middle\">")
            out.append(escaping: label.week)
            out.append("</text>\n")
        }
        out.append("</svg>\n<p class=\"lede\">")
        NumberText.append(integer: total, to: out)
        out.append(" implemented in the quarter.")
        if !partPath.isEmpty {
            out.append(" ")
            out.append(escaping: partNote)
        }
        out.append("""
            </p>
            <details><summary>Weekly data</summary>
            <table><thead><tr><th scope="col">ISO week</th><th scope="col" class="n">Implemented</th><th scope="col">Note</th></tr></thead>
            <tbody>
            """)
        for row in rows {
            out.append("<tr><td>")
            out.append(escaping: row.week)
            out.append("</td><td class=\"n\">")
            NumberText.append(integer: row.count, to: out)
            out.append("</td><td>")
            out.append(escaping: row.note)
            out.append("</td></tr>")
        }
        out.append("</tbody></table>\n</details>\n")
    }
}
