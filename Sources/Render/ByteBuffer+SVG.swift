/// SVG elements the charts' Swift writers (`NativePartial`) share, written as their templates write them.
extension ByteBuffer {
    /// `<line class="CLASS" x1="X1" y1="Y1" x2="X2" y2="Y2"/>`; the positions are `SVGNumber` texts (written as they are).
    func appendLine(_ cssClass: StaticString, x1: String, y1: String, x2: String, y2: String) {
        append("<line class=\"")
        append(cssClass)
        append("\" x1=\"")
        append(utf8: x1)
        append("\" y1=\"")
        append(utf8: y1)
        append("\" x2=\"")
        append(utf8: x2)
        append("\" y2=\"")
        append(utf8: y2)
        append("\"/>")
    }

    /// `<svg class="run" viewBox="0 0 WIDTH HEIGHT" role="img" aria-label="LABEL">` and a line end: the opening of the
    /// flow charts (throughput, cycle-time scatter, aging), the label escaped as `{{summary}}` is.
    func appendRunChartOpening(width: String, height: String, label: String) {
        append("<svg class=\"run\" viewBox=\"0 0 ")
        append(utf8: width)
        append(" ")
        append(utf8: height)
        append("\" role=\"img\" aria-label=\"")
        append(escaping: label)
        append("\">\n")
    }
}
