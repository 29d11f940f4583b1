import Foundation

/// The pipeline file's `branding:` block, validated: a logo embedded in every page as a data URI and
/// an accent colour (DESIGN.md "The pipeline file"). The title is the pipeline file's `title:`.
public struct ReportBranding: Sendable, Hashable {
    /// Largest logo file accepted: it is embedded in every page, so at 10,000 pages each KiB costs 10 MB.
    public static let maxLogoBytes = 32 * 1024

    /// `data:image/png;base64,...` (PNG, JPEG or SVG), or nil.
    public var logoDataURI: String?
    /// `#rrggbb`, lower case, or nil for the default.
    public var accent: String?

    public init(logoDataURI: String? = nil, accent: String? = nil) {
        self.logoDataURI = logoDataURI
        self.accent = accent
    }

    /// `#rrggbb` (six hex digits), normalised to lower case; nil for anything else (`#fff`, names, `rgb()`).
    public static func accentColour(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[0] == UInt8(ascii: "#") else { return nil }
        for b in bytes.dropFirst() {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): continue
            default: return nil
            }
        }
        return text.lowercased()
    }

    /// The MIME type of a logo by its first bytes: PNG signature, JPEG SOI marker, or SVG text
    /// (optional BOM and whitespace, then `<?xml` or `<svg`, with an `<svg` element). nil for anything else.
    public static func logoType(_ data: [UInt8]) -> String? {
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        var rest = data[...]
        if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        while let b = rest.first, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { rest = rest.dropFirst() }
        let head = String(decoding: rest.prefix(4096), as: UTF8.self)
        if (head.hasPrefix("<?xml") || head.hasPrefix("<svg") || head.hasPrefix("<!--")) && head.contains("<svg") {
            return "image/svg+xml"
        }
        return nil
    }

    /// Reads and checks a logo file; the error message says what is wrong (the caller locates it).
    public static func logoDataURI(path: String) -> Result<String, LogoError> {
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(.unreadable) }
        guard data.count <= maxLogoBytes else { return .failure(.tooLarge(data.count)) }
        guard let type = logoType(Array(data)) else { return .failure(.unknownType) }
        return .success("data:\(type);base64," + data.base64EncodedString())
    }

    public enum LogoError: Error, Equatable, CustomStringConvertible {
        case unreadable
        case tooLarge(Int)
        case unknownType

        public var description: String {
            switch self {
            case .unreadable: "the logo file cannot be read"
            case .tooLarge(let n): "the logo file has \(n) bytes; at most \(ReportBranding.maxLogoBytes) are allowed (it is embedded in every page)"
            case .unknownType: "the logo file is not a PNG, JPEG or SVG image (checked by its first bytes)"
            }
        }
    }
}
