import Foundation
import Ingest
import LeanPulseCore
import TestSupport
import Testing

/// `XMLRecordReader` reads a file two ways: a record at a time (`next()`/`nextRaw()`, libxml2's push parser fed a chunk
/// at a time) and all at once (`forEachRaw`, libxml2's pull parser reading through a callback; what `run` uses). Both
/// must give the same records, and fail or not on the same line, for good files and broken ones. The wording of
/// libxml2's own messages may differ: where a document ends too early its push parser says "Extra content at the end
/// of the document", its pull parser what is wrong ("Document is empty", "Premature end of data in tag team line 2"),
/// one column apart.
@Suite(.removesTemporaryFiles) struct XMLReadingModesTests {
    static let fields = ["@id", "team", "a/b", "a/@c", "answer[@item='q1']", "text", "."]

    /// What one way of reading made of a file: the records, then the error that ended it (if any).
    struct Outcome: Equatable, CustomStringConvertible {
        var records: [[String?]] = []
        var lines: [Int] = []
        /// Each record's column (of its element's `<`; 0 where its start tag spans lines).
        var columns: [Int] = []
        /// The error's line (-1 where it has none) and its text; nil when reading ended well.
        var errorLine: Int?
        var error: String?

        var description: String { "\(records.count) records, lines \(lines.prefix(5)), columns \(columns.prefix(5)), error \(errorLine ?? 0): \(error ?? "none")" }

        /// The same records, and the same line of the same kind of ending.
        func agrees(with other: Outcome) -> Bool {
            records == other.records && lines == other.lines && columns == other.columns && errorLine == other.errorLine
        }

        mutating func fail(_ error: any Error) {
            guard let error = error as? IngestError else {
                self.error = "\(type(of: error)): \(error)"
                errorLine = -1
                return
            }
            self.error = error.reason
            errorLine = error.location?.line ?? -1
        }
    }

    static func oneAtATime(_ path: String, record: String, maxDepth: Int) -> Outcome {
        var outcome = Outcome()
        do {
            let reader = try XMLRecordReader(file: path, recordPath: record, fieldPaths: fields, maxDepth: maxDepth, maxFieldBytes: 4096)
            while let next = try reader.next() {
                outcome.records.append(next.values)
                outcome.lines.append(next.location.line)
                outcome.columns.append(next.location.column)
            }
        } catch {
            outcome.fail(error)
        }
        return outcome
    }

    static func allAtOnce(_ path: String, record: String, maxDepth: Int) -> Outcome {
        var outcome = Outcome()
        do {
            let reader = try XMLRecordReader(file: path, recordPath: record, fieldPaths: fields, maxDepth: maxDepth, maxFieldBytes: 4096)
            try reader.forEachRaw { raw in
                let next = XMLRecordReader.sourceRecord(raw)
                outcome.records.append(next.values)
                outcome.lines.append(next.location.line)
                outcome.columns.append(next.location.column)
            }
        } catch {
            outcome.fail(error)
        }
        return outcome
    }

    /// Good and broken documents, each at least one record deep where it can be.
    static let documents: [(name: String, text: String)] = {
        let record = #"<r id="1"><team>T1</team><a c="x &amp; y"><b>in <![CDATA[<cdata> & ]]>b</b></a><answer item="q2">2</answer><answer item="q1">5</answer><text>caf&#233; &lt;ok&gt;</text></r>"#
        let many = (0..<4_000).map { #"<r id="\#($0)"><team>T\#($0 % 7)</team><text>\#(String(repeating: "é", count: $0 % 90))</text></r>"# }
        return [
            ("one record", "<x>\(record)</x>"),
            ("several chunks (4,000 records, non-ASCII text)", "<x>\n" + many.joined(separator: "\n") + "\n</x>"),
            ("namespaces and white space", "<?xml version=\"1.0\"?>\n<!-- c -->\n<x xmlns=\"urn:a\" xmlns:p=\"urn:p\">\n  \(record)\n  <r id=\"2\"><p:team>no</p:team></r>\n</x>\n"),
            ("no records", "<x><y/></x>"),
            ("empty file", ""),
            ("only a declaration", "<?xml version=\"1.0\"?>\n"),
            ("wrong root", "<y>\(record)</y>"),
            ("truncated after a record", "<x>\(record)\n<r id=\"2\"><team>T"),
            ("two roots", "<x>\(record)</x>\n<x>\(record)</x>"),
            ("unclosed tag mismatch", "<x>\(record)<r id=\"3\"><team>T</tam></r></x>"),
            ("undeclared prefix", "<x>\(record)<r id=\"4\"><q:team>T</q:team></r></x>"),
            ("DOCTYPE after a comment", "<!-- c -->\n<!DOCTYPE x [<!ENTITY e \"boom\">]>\n<x>\(record)</x>"),
            ("unknown entity", "<x>\(record)<r id=\"5\"><team>&e;</team></r></x>"),
            ("byte 0xFF in a comment", "<x>\(record)<!-- \u{FF} --></x>"),
            ("too deep", "<x>\(record)" + String(repeating: "<r>", count: 40) + String(repeating: "</r>", count: 40) + "</x>"),
            ("field text over the cap", "<x>\(record)<r id=\"6\"><text>\(String(repeating: "t", count: 5_000))</text></r></x>"),
            ("text after the root", "<x>\(record)</x>trailing"),
            // Found by FuzzXML (crash-184a33113edd82f3c1df397dcfe7b8176f81f5ce): a CDATA section with a carriage return.
            ("CDATA with a carriage return, then broken", "<x><r><![CDATA[x version=\"2.0\"><sur=ey><rec ident=\"A\" format=\"cs0v\" hlef=\"dat\r[a.csv\"<y]]></r>=b:>/<e>"),
            ("CDATA with a carriage return", "<x><r><![CDATA[a\rb\r\nc]]></r><r><text>d\re</text></r></x>"),
            // Found by FuzzXML under AddressSanitizer (crash-97dbd0f4491ef30b40f6043b92761766879dc5c5): CDATA with
            // carriage returns that takes a field over its cap; stopping the parser freed the piece being read.
            ("CDATA with carriage returns over the field cap", "<x><r><![CDATA[" + String(repeating: "x\r", count: 3_000) + "]]></r></x>"),
            ("NUL in a text", "<x>\(record)<r id=\"7\"><team>T\u{0}U</team></r></x>"),
            ("NUL after the root, then more", "<x>\(record)</x>\n\u{0}<x>\(record)</x>"),
        ]
    }()

    @Test(arguments: documents.indices)
    func bothWaysReadTheSame(index: Int) throws {
        let (name, text) = Self.documents[index]
        var bytes = Array(text.utf8)
        if name == "byte 0xFF in a comment" {
            bytes = bytes.map { $0 == 0xC3 ? 0xFF : $0 }.filter { $0 != 0xBF }
        }
        let path = temporaryFile(bytes, suffix: ".xml")
        let pulled = Self.oneAtATime(path, record: "/x/r", maxDepth: 32)
        let whole = Self.allAtOnce(path, record: "/x/r", maxDepth: 32)
        #expect(pulled.agrees(with: whole), "\(name): next() \(pulled) but forEachRaw \(whole)")
        // The one wording that differs: where the document ends too early.
        if pulled.error != "Extra content at the end of the document" {
            #expect(pulled.error == whole.error, "\(name)")
        }
    }

    @Test(arguments: ["ideas.xml", "empty.xml", "entity-bomb.xml", "truncated.xml", "two-roots.xml", "xxe.xml"])
    func bothWaysReadTheFixturesTheSame(name: String) throws {
        let path = try fixture(name)
        let pulled = Self.oneAtATime(path, record: "/ideas/idea", maxDepth: 256)
        let whole = Self.allAtOnce(path, record: "/ideas/idea", maxDepth: 256)
        #expect(pulled.agrees(with: whole), "\(name): next() \(pulled) but forEachRaw \(whole)")
    }

    /// Found by FuzzXML (crash-e4ecb9679a26c89284317928e37dfeea846c242d): a NUL byte (then 0x01) after the root element.
    @Test func aNULAfterTheRootIsTheSameErrorBothWays() throws {
        let bytes = Array("<ideas><idea id=\"i\"/></ideas>".utf8) + [0x00, 0x01]
        let path = temporaryFile(bytes, suffix: ".xml")
        let pulled = Self.oneAtATime(path, record: "/ideas/idea", maxDepth: 32)
        let whole = Self.allAtOnce(path, record: "/ideas/idea", maxDepth: 32)
        #expect(pulled.agrees(with: whole), "next() \(pulled) but forEachRaw \(whole)")
        #expect(whole.error == "a NUL byte (0x00), which an XML document never contains")
        #expect(whole.errorLine == 1)
    }

    /// Found by FuzzXML (crash-cb352897c8e35d23fc297b5c836a6ab971346b4d): CDATA across records, then text after the root.
    @Test func aLongCDATAThenTextAfterTheRootIsTheSameBothWays() throws {
        let bytes: [UInt8] = [60, 97, 62, 60, 98, 62, 60, 47, 98, 62, 60, 98, 62, 60, 33, 91, 67, 68, 65, 84, 65, 91, 120, 60, 121, 62, 60, 60, 98, 62, 33, 91, 67, 68, 65, 84, 65, 91, 120, 60, 121, 98, 62, 120, 60, 47, 98, 62, 60, 47, 97, 62, 60, 98, 62, 120, 60, 47, 98, 62, 60, 47, 97, 62, 60, 97, 109, 62, 84, 34, 62, 60, 85, 83, 45, 65, 83, 67, 73, 73, 208, 141, 60, 97, 109, 62, 60, 97, 32, 99, 61, 34, 58, 34, 62, 60, 116, 101, 97, 109, 62, 84, 49, 101, 73, 110, 116, 47, 116, 60, 97, 63, 109, 62, 60, 97, 32, 99, 61, 34, 50, 34, 62, 60, 98, 62, 120, 60, 47, 98, 62, 60, 47, 97, 62, 60, 97, 109, 62, 84, 49, 109, 62, 60, 97, 32, 99, 61, 34, 49, 34, 62, 60, 116, 101, 97, 109, 62, 84, 49, 101, 73, 110, 97, 115, 62, 60, 101, 97, 109, 62, 84, 49, 101, 47, 116, 60, 97, 109, 62, 60, 97, 62, 60, 98, 62, 60, 33, 91, 67, 68, 65, 84, 65, 91, 120, 60, 121, 93, 93, 62, 60, 47, 98, 62, 101, 101, 96, 101, 101, 61, 34, 50, 34, 62, 60, 98, 62, 120, 60, 47, 98, 62, 60, 47, 97, 62, 97, 32, 105, 100, 61, 125, 125, 125, 125, 125, 125, 125, 125, 125, 125, 125, 125, 125, 125, 125, 125, 125, 125, 125, 125, 125, 125, 125, 34, 60, 97, 32, 99, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 61, 34, 50, 34, 62, 60, 98, 62, 120, 60, 47, 98, 62, 60, 47, 97, 62, 97, 32, 105, 100, 61, 125, 125, 255, 255, 255, 4, 60, 98, 38, 97, 109, 60, 47, 97, 62]
        let path = temporaryFile(bytes, suffix: ".xml")
        let pulled = Self.oneAtATime(path, record: "/a/b", maxDepth: 32)
        let whole = Self.allAtOnce(path, record: "/a/b", maxDepth: 32)
        #expect(pulled.agrees(with: whole), "next() \(pulled) but forEachRaw \(whole)")
        #expect(whole.error != nil)
    }

    /// A record's location is its element's `<`: line and column (in characters), the same both ways.
    @Test func recordsAreLocatedAtTheirStartTag() throws {
        let text = "<x>\n  <r id=\"1\"><team>T</team></r>\n\t<r><team>U</team></r>\u{E9}\u{E9}<r id=\"\u{E9}\"><team>V</team></r>\n<r\n id=\"4\"><team>W</team></r>\n<r><![CDATA[\u{E9}\u{E9}]]></r><r><team>X</team></r>\n</x>"
        let path = temporaryFile(text, suffix: ".xml")
        for outcome in [Self.oneAtATime(path, record: "/x/r", maxDepth: 32), Self.allAtOnce(path, record: "/x/r", maxDepth: 32)] {
            #expect(outcome.error == nil)
            // Line 3: a tab, 21 characters of the second record and two of text before the third: column 25. The fourth
            // record's start tag ends on line 5: its line is there, its column not known.
            // Line 6: the push parser counts CDATA by bytes, two too many for the two characters before the last record.
            #expect(outcome.lines == [2, 3, 3, 5, 6, 6])
            #expect(outcome.columns == [3, 2, 25, 0, 1, 22])
        }
    }

    /// Long start tags (read back eight bytes at a time while plain ASCII): ASCII, non-ASCII values, one over two lines.
    @Test func longStartTagsAreLocatedAtTheirBeginning() throws {
        let text = "<x>\n  <r id=\"1\" team=\"a-long-attribute-value-of-forty-bytes-xx\">\n  </r>\n<r a=\""
            + String(repeating: "\u{E9}", count: 30) + "\" b=\"plain ascii text that is long\"></r><r\n  id=\"3\" other=\"long long long long long\"></r>\n</x>"
        let path = temporaryFile(text, suffix: ".xml")
        for outcome in [Self.oneAtATime(path, record: "/x/r", maxDepth: 32), Self.allAtOnce(path, record: "/x/r", maxDepth: 32)] {
            #expect(outcome.error == nil)
            #expect(outcome.lines == [2, 4, 5])
            #expect(outcome.columns == [3, 1, 0])
        }
    }

    /// Found by FuzzXML (crash-0934e26aff6a073e578de83c7d0183d90bed78b1): invalid UTF-8 (an overlong `C1 86`) in CDATA.
    @Test func invalidUTF8InCDATAIsTheSameErrorBothWays() throws {
        let bytes = Array("<a><![CDATA[x".utf8) + [0xC1, 0x86] + Array("]]><b>x</b></a>".utf8)
        let path = temporaryFile(bytes, suffix: ".xml")
        let pulled = Self.oneAtATime(path, record: "/a/b", maxDepth: 32)
        let whole = Self.allAtOnce(path, record: "/a/b", maxDepth: 32)
        #expect(pulled.agrees(with: whole), "next() \(pulled) but forEachRaw \(whole)")
        #expect(whole.error != nil)
    }

    /// Line ends in CDATA become `\n` both ways, also where the push parser cuts a long section into pieces.
    @Test func lineEndsInALongCDATASectionAreNormalized() throws {
        let lines = String(repeating: "ab\r\n", count: 100_000) + "c\rd"
        let path = temporaryFile("<x><r><![CDATA[\(lines)]]></r></x>", suffix: ".xml")
        let expected = String(repeating: "ab\n", count: 100_000) + "c\nd"
        let pulled = try XMLRecordReader(file: path, recordPath: "/x/r", fieldPaths: ["."]).next()
        #expect(pulled?.values == [expected])
        var whole: [String?] = []
        try XMLRecordReader(file: path, recordPath: "/x/r", fieldPaths: ["."]).forEachRaw { whole.append($0.string(0)) }
        #expect(whole == [expected])
    }

    @Test func theEndsOfBrokenDocumentsAreNamed() throws {
        let empty = Self.allAtOnce(temporaryFile("", suffix: ".xml"), record: "/x/r", maxDepth: 32)
        #expect(empty.error == "Document is empty")
        let truncated = Self.allAtOnce(temporaryFile("<x>\n<r id=\"1\"><team>T", suffix: ".xml"), record: "/x/r", maxDepth: 32)
        #expect(truncated.error?.contains("Premature end of data in tag team") == true)
        #expect(truncated.errorLine == 2)
    }

    @Test func recordsBeforeAnErrorComeOutFirst() throws {
        let path = temporaryFile("<x><r id=\"1\"/><r id=\"2\"/><r id=\"3\"><team>T", suffix: ".xml")
        let whole = Self.allAtOnce(path, record: "/x/r", maxDepth: 32)
        #expect(whole.records.map { $0[0] } == ["1", "2"])
        #expect(whole.error != nil)
    }

    struct Refused: Error {}

    @Test func anErrorOfTheBodyEndsReadingAndIsRethrown() throws {
        let path = temporaryFile("<x>" + (1...50).map { "<r id=\"\($0)\"/>" }.joined() + "</x>", suffix: ".xml")
        let reader = try XMLRecordReader(file: path, recordPath: "/x/r", fieldPaths: ["@id"])
        var seen: [String?] = []
        #expect(throws: Refused.self) {
            try reader.forEachRaw { raw in
                seen.append(raw.string(0))
                if seen.count == 3 { throw Refused() }
            }
        }
        #expect(seen == ["1", "2", "3"])
    }

    @Test func afterARecordAtATimeTheRestComesTheSameWay() throws {
        let path = temporaryFile("<x>" + (1...5).map { "<r id=\"\($0)\"/>" }.joined() + "</x>", suffix: ".xml")
        let reader = try XMLRecordReader(file: path, recordPath: "/x/r", fieldPaths: ["@id"])
        #expect(try reader.next()?.values == ["1"])
        var rest: [String?] = []
        try reader.forEachRaw { rest.append($0.string(0)) }
        #expect(rest == ["2", "3", "4", "5"])
    }
}
