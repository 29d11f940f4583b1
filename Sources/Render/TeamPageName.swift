import LeanPulseCore

/// The file name of a unit's page, `teams/<name>.html`.
///
/// Rule: bytes of the team id's UTF-8 in `[A-Za-z0-9._-]` are kept, every other byte becomes `%XX`
/// (upper-case hex), so `Sales & Ops/EU` becomes `Sales%20%26%20Ops%2FEU.html`. The mapping is
/// one-to-one (`%` itself is encoded), contains no path separator and never starts with `/`.
/// On a case-insensitive file system ids differing only in case share a file.
public enum TeamPageName {
    /// The filesystem-safe form of a team id, without extension.
    public static func safeComponent(_ teamId: String) -> String {
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
        return String(decoding: out, as: UTF8.self)
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
