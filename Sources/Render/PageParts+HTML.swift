/// The built-in `tile.mustache` (with the `value.mustache` it includes) as Swift code (`NativePartial`): the same
/// bytes, written without the template engine; every text escaped as `{{value}}` is.
extension Tile {
    static let nativePartial = NativePartial(for: Tile.self, including: ["value"]) { $0.writeHTML(to: $1) }

    func writeHTML(to out: ByteBuffer) {
        out.append("<div class=\"tile ")
        out.append(escaping: accent)
        out.append("\"><div class=\"label\">")
        out.append(escaping: label)
        out.append("</div><div class=\"value\">")
        if value.blank {
            out.append("<span class=\"na\" title=\"")
            out.append(escaping: value.why)
            out.append("\">")
            out.append(escaping: value.text)
            out.append("</span>")
        } else {
            out.append(escaping: value.text)
            out.append("<span class=\"unit\">")
            out.append(escaping: unit)
            out.append("</span>")
        }
        out.append("</div>")
        if !change.isEmpty {
            out.append("<div class=\"change ")
            out.append(escaping: changeClass)
            out.append("\">")
            out.append(escaping: change)
            out.append("</div>")
        }
        if !detail.isEmpty {
            out.append("<div class=\"detail\">")
            out.append(escaping: detail)
            out.append("</div>")
        }
        out.append("<div class=\"help\">")
        out.append(escaping: help)
        out.append("</div></div>\n")
    }
}
