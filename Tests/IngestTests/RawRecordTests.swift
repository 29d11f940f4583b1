import Foundation
import Ingest
import LeanPulseCore
import TestSupport
import Testing

/// The byte-range path (`nextRaw`, the SWAR scan of plain rows) against independent models of the same files.
@Suite(.removesTemporaryFiles) struct RawRecordTests {
    /// A small RFC 4180 parser written from the RFC, not from `CSVReader`: rows of fields with the line each starts on.
    static func referenceRows(_ text: String) -> [(line: Int, fields: [String])] {
        var rows: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        // A line with nothing on it is no row; `""` is a row with one empty field.
        var rowHadQuote = false
        var line = 1
        var rowLine = 1
        let chars = Array(text.unicodeScalars)
        var i = 0
        func endRow() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty && !rowHadQuote) { rows.append((rowLine, fields)) }
            fields = []
            rowHadQuote = false
        }
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 2; continue }
                    quoted = false
                } else {
                    if c == "\n" || (c == "\r" && (i + 1 >= chars.count || chars[i + 1] != "\n")) { line += 1 }
                    field.unicodeScalars.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case "\"":
                quoted = true
                rowHadQuote = true
            case ",": fields.append(field); field = ""
            case "\r", "\n":
                if c == "\r" && i + 1 < chars.count && chars[i + 1] == "\n" { i += 1 }
                line += 1
                endRow()
                rowLine = line
            default: field.unicodeScalars.append(c)
            }
            i += 1
        }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }

    /// Random well-formed CSV: short and long fields (across the 8-byte words of the fast path), quoted ones with
    /// delimiters, doubled quotes and line ends inside, non-ASCII text, and LF, CRLF and CR line ends.
    static func randomCSV(seed: UInt64, rows: Int) -> String {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let plain = ["", "1", "42", "abc", "hello world", "0123456789abcdefghij", "Zürich", "naïve café", "x y z w v u t s r q"]
        let quoted = ["a,b", "say \"\"hi\"\"", "two\nlines", "cr\r\nlf", "", "comma, and \"\"quote\"\"", "ünïcödé, ok"]
        let ends = ["\n", "\r\n", "\r"]
        var text = ""
        for _ in 0..<rows {
            let width = 1 + next(12)
            for f in 0..<width {
                if f > 0 { text += "," }
                if next(4) == 0 { text += "\"" + quoted[next(quoted.count)] + "\"" } else { text += plain[next(plain.count)] }
            }
            text += ends[next(ends.count)]
        }
        return text
    }

    @Test(arguments: [1 as UInt64, 2, 3, 4, 5, 6, 7, 8])
    func readerAgreesWithAnIndependentParser(seed: UInt64) throws {
        let text = Self.randomCSV(seed: seed, rows: 400)
        let expected = Self.referenceRows(text)
        for chunk in [64, 1 << 20] {
            let reader = try CSVReader(path: temporaryFile(text), delimiter: 0x2C, chunkSize: chunk)
            var got: [(line: Int, fields: [String])] = []
            while let row = try reader.nextRow() { got.append((row.line, row.strings)) }
            #expect(got.count == expected.count, "chunk \(chunk)")
            for (g, e) in zip(got, expected) {
                #expect(g.fields == e.fields, "line \(e.line), chunk \(chunk)")
                #expect(g.line == e.line, "chunk \(chunk)")
            }
        }
    }

    @Test func rawAndStringRecordsAreTheSame() throws {
        let text = "id,text,score\r\n1,\"say \"\"hi\"\"\",5\r\n2,Zürich,\r\n3,ab\"c,4\r\n4,\"two\nlines\",3\r\n5\r\n6,x,1,,\r\n"
        let path = temporaryFile(text)
        let strings = try readAll(CSVRecordReader(file: path, sourceID: "s"))
        let rawReader = try CSVRecordReader(file: path, sourceID: "s")
        var raws: [[String?]] = []
        var columns: [[Int]] = []
        while let raw = try rawReader.nextRaw() {
            raws.append((0..<3).map { raw.string($0) })
            columns.append((0..<raw.count).map { raw.location(ofField: $0).column })
        }
        #expect(raws == strings.map(\.values))
        #expect(raws[0] == ["1", "say \"hi\"", "5"])
        #expect(raws[4] == ["5", nil, nil])
        #expect(columns[1] == [1, 3, 10])
        let findings = try CSVRecordReader(file: path, sourceID: "s")
        _ = try readAll(findings)
        #expect(findings.findings.map(\.code) == rawReader.findings.map(\.code))
        #expect(rawReader.findings.map(\.code).sorted() == ["bare-quote", "extra-empty-fields", "short-row"])
    }

    @Test func trimmedDropsUnicodeWhiteSpaceAtTheEdgesOnly() throws {
        let path = temporaryFile("a,b,c,d\n\u{00A0} x y\u{2003},   ,\"\",\u{3000}é\n")
        let reader = try CSVRecordReader(file: path, sourceID: "s")
        let raw = try #require(try reader.nextRaw())
        #expect(raw.text(0) == "x y")
        #expect(raw.text(1) == nil)
        #expect(raw.text(2) == nil)
        #expect(raw.text(3) == "é")
        #expect(raw.text(4) == nil)
        #expect(raw.text(nil) == nil)
    }

    @Test func aLegacyQualtricsFirstDataRowComesFirst() throws {
        let path = temporaryFile("V1,V2,Q1\nResponseID,Finished,How?\nR_1,1,5\nR_2,0,4\nR_3,1,3\n")
        let reader = try CSVRecordReader(file: path, sourceID: "s", qualtrics: true)
        var ids: [String] = []
        while let raw = try reader.nextRaw() { ids.append(raw.text(0) ?? "-") }
        #expect(ids == ["R_1", "R_3"])
        #expect(reader.findings.map(\.code) == ["unfinished-response"])
    }
}
