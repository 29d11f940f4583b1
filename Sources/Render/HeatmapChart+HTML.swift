/// The built-in `heatmap.mustache` as Swift code (`NativePartial`): the same bytes, written without the template
/// engine. Numbers made by `SVGNumber` and `FigureFormatter`, and the class names, are written as they are (escaping
/// leaves them unchanged); every other text is escaped as `{{value}}` is.
extension HeatmapChart {
    static let nativePartial = NativePartial(for: HeatmapChart.self) { $0.writeHTML(to: $1) }

    func writeHTML(to out: ByteBuffer) {
        out.append("<div class=\"scroll hm\">\n<svg viewBox=\"0 0 ")
        out.append(utf8: width)
        out.append(" ")
        out.append(utf8: height)
        out.append("\" width=\"")
        out.append(utf8: width)
        out.append("\" role=\"img\" aria-labelledby=\"hmt\"><g class=\"hmc\">\n<title id=\"hmt\">")
        out.append(escaping: title)
        out.append(": % favourable per factor, coloured by the difference from the organisation</title>\n")
        for column in columns {
            out.append("<text class=\"hm-col\" x=\"")
            out.append(utf8: column.x)
            out.append("\" y=\"")
            out.append(utf8: column.name2.isEmpty ? Self.header2Y : Self.headerY)
            out.append("\" text-anchor=\"middle\"><title>")
            out.append(escaping: column.fullName)
            out.append("</title>")
            out.append(escaping: column.name)
            if !column.name2.isEmpty {
                out.append("<tspan x=\"")
                out.append(utf8: column.x)
                out.append("\" y=\"")
                out.append(utf8: Self.header2Y)
                out.append("\">")
                out.append(escaping: column.name2)
                out.append("</tspan>")
            }
            out.append("</text>\n")
        }
        for row in rows {
            out.append(row.isReference ? "<text class=\"hm-row ref\" x=\"" : "<text class=\"hm-row\" x=\"")
            out.append(utf8: Self.labelX)
            out.append("\" y=\"")
            out.append(utf8: row.textY)
            out.append("\"><title>")
            out.append(escaping: row.fullName)
            out.append("</title>")
            out.append(escaping: row.name)
            out.append("</text>\n")
            if !row.hiddenText.isEmpty {
                out.append("<rect class=\"hm-sup\" x=\"")
                out.append(utf8: Self.hiddenX)
                out.append("\" y=\"")
                out.append(utf8: row.y)
                out.append("\" width=\"")
                out.append(utf8: gridWidth)
                out.append("\" height=\"")
                out.append(utf8: Self.cellHeightText)
                out.append("\"/><text class=\"hm-why\" x=\"")
                out.append(utf8: Self.hiddenTextX)
                out.append("\" y=\"")
                out.append(utf8: row.textY)
                out.append("\"><title>")
                out.append(escaping: row.fullName)
                out.append(": ")
                out.append(escaping: row.hiddenText)
                out.append("</title>")
                out.append(escaping: row.hiddenText)
                out.append("</text>\n")
                continue
            }
            for cell in row.cells {
                out.append("<rect class=\"c ")
                out.append(utf8: cell.cssClass)
                out.append("\" x=\"")
                out.append(utf8: cell.x)
                out.append("\" y=\"")
                out.append(utf8: row.y)
                out.append("\"/><text x=\"")
                out.append(utf8: cell.textX)
                out.append("\" y=\"")
                out.append(utf8: row.textY)
                out.append("\">")
                out.append(utf8: cell.text)
                if !cell.marker.isEmpty {
                    out.append(" <tspan class=\"mk\">")
                    out.append(utf8: cell.marker)
                    out.append("</tspan>")
                }
                out.append("</text>\n")
            }
        }
        out.append("</g></svg>\n</div>\n<ul class=\"hm-legend\">")
        for entry in legend {
            out.append("<li><span class=\"hm-sw ")
            out.append(utf8: entry.cssClass)
            out.append("\"></span>")
            out.append(escaping: entry.label)
            out.append("</li>")
        }
        out.append("</ul>\n<p class=\"lede\">")
        out.append(escaping: caption)
        out.append(" The table below has every value.</p>\n")
        if !note.isEmpty {
            out.append("<p class=\"lede\">")
            out.append(escaping: note)
            out.append("</p>")
        }
        out.append("\n<details><summary>Heatmap data</summary>\n<div class=\"scroll\">\n<table>\n<thead><tr><th scope=\"col\">Unit</th>")
        for column in columns {
            out.append("<th scope=\"col\" class=\"n\">")
            out.append(escaping: column.fullName)
            out.append(" %</th>")
        }
        out.append("</tr></thead>\n<tbody>\n")
        for row in rows {
            out.append("<tr><th scope=\"row\">")
            if row.href.isEmpty {
                out.append(escaping: row.fullName)
            } else {
                out.append("<a href=\"")
                out.append(escaping: row.href)
                out.append("\">")
                out.append(escaping: row.fullName)
                out.append("</a>")
            }
            out.append("</th>")
            for cell in row.tableCells {
                out.append("<td class=\"n\">")
                out.append(escaping: cell.text)
                if !cell.interval.isEmpty {
                    out.append(" [")
                    out.append(utf8: cell.interval)
                    out.append("]")
                }
                if !cell.difference.isEmpty {
                    out.append(" (")
                    out.append(utf8: cell.difference)
                    out.append(")")
                }
                if !cell.change.isEmpty {
                    out.append(", ")
                    out.append(escaping: cell.change)
                }
                if cell.lowAgreement { out.append(", low agreement") }
                out.append("</td>")
            }
            out.append("</tr>\n")
        }
        out.append("""
            </tbody>
            </table>
            </div>
            <p class="lede">In square brackets: the 95% interval of the % favourable; in round brackets: the difference from \
            the organisation in percentage points; then the change label against the previous period where one exists, and \
            &ldquo;low agreement&rdquo; where the unit&rsquo;s answers on the factor agree little (r<sub>wg(j)</sub> below 0.70).</p>
            </details>

            """)
    }
}
