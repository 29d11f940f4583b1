/// The built-in `items.mustache` as Swift code (`NativePartial`): the same bytes, written without the template engine.
/// The counts and percentages made by `FigureFormatter` are written as they are (escaping leaves them unchanged); the
/// factor names, item ids and question texts are escaped as `{{value}}` is.
extension ItemTable {
    static let nativePartial = NativePartial(for: ItemTable.self) { $0.writeHTML(to: $1) }

    func writeHTML(to out: ByteBuffer) {
        out.append("""
            <details><summary>Every question: % favourable with its 95% interval</summary>
            <table><thead><tr><th scope="col">Factor</th><th scope="col">Item</th><th scope="col">Question</th>\
            <th scope="col" class="n">Answers</th><th scope="col" class="n">% favourable</th><th scope="col" class="n">95% interval</th>\
            </tr></thead>
            <tbody>
            """)
        for row in rows {
            out.append("<tr><td>")
            out.append(escaping: row.factor)
            out.append("</td><td><code>")
            out.append(escaping: row.itemId)
            out.append("</code></td><td>")
            out.append(escaping: row.text)
            out.append("</td><td class=\"n\">")
            out.append(utf8: row.answered)
            out.append("</td><td class=\"n\">")
            out.append(utf8: row.favorable)
            out.append("</td><td class=\"n\">")
            out.append(utf8: row.interval)
            out.append("</td></tr>")
        }
        out.append("</tbody></table>\n<p class=\"lede\">Wilson score interval for each question's share of favourable answers (item_scores.csv has all units). \"hidden\": the question has fewer than ")
        NumberText.append(integer: minRespondents, to: out)
        out.append(" answers here, or is hidden so that fewer than ")
        NumberText.append(integer: minRespondents, to: out)
        out.append(" answers cannot be worked out by subtraction (or nobody answered it).</p>\n</details>\n")
    }
}
