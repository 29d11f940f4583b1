import Crypto
import LeanPulseCore

/// The file name of a unit's page, `teams/<name>.html`.
///
/// Rule: bytes of the team id's UTF-8 in `[A-Za-z0-9._-]` are kept, every other byte becomes `%XX`
/// (upper-case hex), so `Sales & Ops/EU` becomes `Sales%20%26%20Ops%2FEU.html`. The mapping is
/// one-to-one (`%` itself is encoded), contains no path separator and never starts with `/`.
/// On a case-insensitive file system ids differing only in case share a file.
///
/// File systems allow 255 bytes per name, which a 28-character CJK id (9 bytes per character encoded) or a 250-byte
/// ASCII id passes. A form longer than `longest` bytes keeps its first bytes (never half of a `%XX`) and ends in
/// `~` and 32 hex digits of the id's SHA-256: still one name per id (`~` is encoded everywhere else, so no short form
/// can look like this).
public enum TeamPageName {
    /// The filesystem-safe form of a team id, without extension.
    public static func safeComponent(_ teamId: String) -> String {
        let full = encoded(teamId)
        guard full.count > longest else { return String(decoding: full, as: UTF8.self) }
        var cut = kept
        // Not inside a `%XX`: a `%` at one of the last two positions before the cut starts a triple that would be split.
        if full[cut - 1] == UInt8(ascii: "%") { cut -= 1 } else if full[cut - 2] == UInt8(ascii: "%") { cut -= 2 }
        let digest = SHA256.hash(data: Array(teamId.utf8)).prefix(16)
        let hex = Array("0123456789abcdef".utf8)
        var out = Array(full[..<cut])
        out.append(UInt8(ascii: "~"))
        for b in digest { out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0x0F)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The longest encoded form kept whole (a name's 255 bytes less `.html` and room to spare), and what a longer one keeps.
    static let longest = 200
    static let kept = 160

    /// Every byte outside `[A-Za-z0-9._-]` as `%XX`.
    private static func encoded(_ teamId: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(teamId.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for b in teamId.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                out.append(b)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0x0F)])
            }
        }
        return out
    }

    /// `<safe>.html`, the page's file name inside `teams/`.
    public static func fileName(for teamId: String) -> String { safeComponent(teamId) + ".html" }

    /// The relative URL of that file (its `%` written as `%25`, since a browser decodes `%XX` in links).
    public static func href(for teamId: String) -> String {
        let name = fileName(for: teamId)
        guard name.utf8.contains(UInt8(ascii: "%")) else { return name }
        return name.replacingAll("%", with: "%25")
    }
}
