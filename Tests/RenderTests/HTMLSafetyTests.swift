import Foundation
import Testing
@testable import Render

@Suite struct HTMLSafetyTests {
    static let csp = #"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">"#

    @Test func everyPageIsSelfContainedAndEscaped() throws {
        let folder = try renderFixture()
        defer { folder.remove() }
        let pages = folder.files().filter { $0.hasSuffix(".html") }
        #expect(pages.count == 3 + ReportFixture.units.count)
        for page in pages {
            let html = try folder.read(page)
            let lower = html.lowercased()
            #expect(!lower.contains("<script"), "\(page) has a script tag")
            #expect(!lower.contains("http://") && !lower.contains("https://"), "\(page) names a URL")
            #expect(html.contains(Self.csp), "\(page) lacks the CSP")
            #expect(!lower.contains("<link") && !lower.contains("src=") && !lower.contains("@import"), "\(page) loads something")
            #expect(!html.contains("Acme & Co <Group>"), "\(page) has an unescaped name")
            #expect(!html.contains("<Q3>"))
        }
        let index = try folder.read("index.html")
        #expect(index.contains("Acme &amp; Co &lt;Group&gt;"))
        #expect(index.contains("Operations, &quot;North&quot;"))
        #expect(index.contains("Assembly \u{1F680} team"))
        #expect(try folder.read("teams/ops-a.html").contains("Line &lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func suppressedUnitShowsNoCountAndNoScores() throws {
        let folder = try renderFixture()
        defer { folder.remove() }
        let index = try folder.read("index.html")
        #expect(index.contains("fewer than 5"))
        let page = try folder.read("teams/ops-a-1.html")
        #expect(page.contains("hidden: fewer than 5 respondents"))
        // No respondent count of the unit (3) appears as a figure.
        #expect(!page.contains("people answered") && !page.contains("3 of 4"))
        #expect(try folder.read("teams/ops-a.html").contains("fewer than 5"))
    }

    @Test func linksUseTheSafeFileNames() throws {
        let folder = try renderFixture()
        defer { folder.remove() }
        #expect(folder.files().contains("teams/r%26d%2Feu.html"))
        let index = try folder.read("index.html")
        #expect(index.contains(#"href="teams/r%2526d%252Feu.html""#))
        let ops = try folder.read("teams/ops-a.html")
        #expect(ops.contains(#"href="../index.html""#))
        #expect(ops.contains(#"href="acme.html""#) && ops.contains(#"href="ops.html""#) && ops.contains(#"href="ops-a-1.html""#))
    }

    @Test(arguments: [
        ("acme", "acme.html"), ("r&d/eu", "r%26d%2Feu.html"), ("a b", "a%20b.html"), ("100%", "100%25.html"),
        ("..", "...html"), ("Ünit", "%C3%9Cnit.html"), ("x_y-z.1", "x_y-z.1.html"),
    ])
    func teamFileNames(_ id: String, _ expected: String) {
        #expect(TeamPageName.fileName(for: id) == expected)
        #expect(!TeamPageName.fileName(for: id).contains("/"))
    }

    /// File systems allow 255 bytes per name: a 28-character CJK id (252 bytes encoded) or a 250-byte ASCII id keeps its
    /// first 160 encoded bytes, never half of a `%XX`, then `~` and 32 hex digits of its SHA-256; one name per id.
    @Test func longIdsGetNamesAFileSystemTakes() {
        let cjk = "東日本営業本部第一営業部法人営業課第二グループ品質保証部"
        let ascii = String(repeating: "a", count: 250)
        var names = Set<String>()
        for id in [cjk, cjk + "x", ascii, ascii + "b", String(repeating: "a", count: 159) + "é" + String(repeating: "z", count: 60)] {
            let name = TeamPageName.fileName(for: id)
            #expect(name.utf8.count <= 200 + 5, "\(name)")
            let stem = name.dropLast(5)
            let tilde = try! #require(stem.lastIndex(of: "~"))
            #expect(stem[stem.index(after: tilde)...].count == 32)
            // The kept part is a prefix of the full encoding, cut between whole %XX triples.
            let kept = String(stem[..<tilde])
            #expect(kept.utf8.count >= 158 && kept.utf8.count <= 160)
            #expect(!kept.hasSuffix("%") && kept.dropLast().last != "%")
            names.insert(name)
        }
        #expect(names.count == 5)
        // A 200-byte form is kept whole.
        #expect(TeamPageName.fileName(for: String(repeating: "q", count: 200)) == String(repeating: "q", count: 200) + ".html")
    }
}
