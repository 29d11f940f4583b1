import Foundation
import Ingest
import LeanPulseCore
import TestSupport
import Testing

@Suite(.removesTemporaryFiles) struct CSVReaderTests {
    @Test func quotedFieldsHoldDelimitersNewlinesAndDoubledQuotes() throws {
        let path = temporaryFile("id,text\n1,\"a, b\"\n2,\"line one\nline two\"\n3,\"say \"\"hi\"\"\"\n4,\"\"\n")
        let rows = try readRows(path)
        #expect(rows == [["id", "text"], ["1", "a, b"], ["2", "line one\nline two"], ["3", "say \"hi\""], ["4", ""]])
    }

    @Test func linesAndColumnsCountEveryPhysicalLineEnd() throws {
        let path = temporaryFile("a,b\n1,\"x\ny\"\n2,zz\n")
        let reader = try CSVReader(path: path)
        var lines: [Int] = []
        var columns: [[Int]] = []
        while let row = try reader.nextRow() {
            lines.append(row.line)
            columns.append(row.columns)
        }
        #expect(lines == [1, 2, 4])
        #expect(columns == [[1, 3], [1, 3], [1, 3]])
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let reader = try CSVReader(path: temporaryFile("Zürich,Genève,x\n"))
        let row = try #require(try reader.nextRow())
        #expect(row.columns == [1, 8, 15])
        #expect(row.column(at: 2) == 15)
    }

    @Test(arguments: ["\r\n", "\n", "\r"])
    func lineEnds(_ end: String) throws {
        let path = temporaryFile(["a,b", "1,2", "3,\"x\(end)y\""].joined(separator: end) + end)
        let reader = try CSVReader(path: path)
        var rows: [[String]] = []
        var lines: [Int] = []
        while let row = try reader.nextRow() {
            rows.append(row.strings)
            lines.append(row.line)
        }
        #expect(rows == [["a", "b"], ["1", "2"], ["3", "x\(end)y"]])
        #expect(lines == [1, 2, 3])
    }

    @Test func mixedLineEndsAndNoFinalNewline() throws {
        let reader = try CSVReader(path: temporaryFile("a,b\r\n1,2\n3,4\r5,6"))
        var lines: [Int] = []
        var rows: [[String]] = []
        while let row = try reader.nextRow() {
            rows.append(row.strings)
            lines.append(row.line)
        }
        #expect(rows == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
        #expect(lines == [1, 2, 3, 4])
    }

    @Test func blankLinesAreSkippedAndEmptyTrailingFieldKept() throws {
        let rows = try readRows(temporaryFile("a,b\n\n1,\n\r\n2,3\n\n"))
        #expect(rows == [["a", "b"], ["1", ""], ["2", "3"]])
    }

    @Test func utf8ByteOrderMarkIsSkipped() throws {
        let reader = try CSVReader(path: temporaryFile([0xEF, 0xBB, 0xBF] + Array("id,name\n1,Zoë\n".utf8)))
        #expect(reader.hasByteOrderMark)
        #expect(reader.encoding == .utf8)
        #expect(try reader.nextRow()?.strings == ["id", "name"])
        #expect(try reader.nextRow()?.strings == ["1", "Zoë"])
    }

    @Test func delimiterIsSniffedFromTheFirstLine() throws {
        let semicolon = try CSVReader(path: temporaryFile("id;\"a,b\";c\n1;2,5;3\n"))
        #expect(semicolon.delimiter == UInt8(ascii: ";"))
        #expect(try semicolon.nextRow()?.strings == ["id", "a,b", "c"])
        #expect(try semicolon.nextRow()?.strings == ["1", "2,5", "3"])

        let tab = try CSVReader(path: temporaryFile("id\tname, full\tteam\n1\tDoe, J\tT1\n"))
        #expect(tab.delimiter == 0x09)
        #expect(try tab.nextRow()?.strings == ["id", "name, full", "team"])

        let pipe = try CSVReader(path: temporaryFile("a|b|c\n"))
        #expect(pipe.delimiter == UInt8(ascii: "|"))

        let single = try CSVReader(path: temporaryFile("id\n1\n"))
        #expect(single.delimiter == UInt8(ascii: ","))
    }

    @Test func delimiterOverride() throws {
        let rows = try readRows(temporaryFile("a;b,c\n1;2,3\n"), delimiter: UInt8(ascii: ","))
        #expect(rows == [["a;b", "c"], ["1;2", "3"]])
    }

    @Test func utf16LittleEndianWithByteOrderMarkIsExcelUnicodeText() throws {
        let text = "id\tname\r\n1\tJosé 😀\r\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let reader = try CSVReader(path: temporaryFile(bytes))
        #expect(reader.encoding == .utf16LE)
        #expect(reader.delimiter == 0x09)
        #expect(try reader.nextRow()?.strings == ["id", "name"])
        #expect(try reader.nextRow()?.strings == ["1", "José 😀"])
        #expect(try reader.nextRow() == nil)
    }

    @Test func utf16BigEndianWithByteOrderMark() throws {
        var bytes: [UInt8] = [0xFE, 0xFF]
        for unit in "a,b\nü,ß\n".utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        #expect(try readRows(temporaryFile(bytes)) == [["a", "b"], ["ü", "ß"]])
    }

    @Test func unpairedSurrogateInUTF16IsAnError() throws {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x61, 0x00, 0x0A, 0x00, 0x00, 0xD8, 0x62, 0x00]
        let error = ingestError { _ = try readRows(temporaryFile(bytes)) }
        #expect(error?.reason.contains("unpaired surrogate at byte offset 6") == true)
        #expect(error?.location?.line == 2)
    }

    @Test func windows1252WhenDeclared() throws {
        // "Café – 80€" with cp1252's 0xE9, 0x96 (en dash) and 0x80 (euro).
        let bytes: [UInt8] = Array("name,price\nCaf".utf8) + [0xE9, 0x20, 0x96, 0x20] + Array("x,80".utf8) + [0x80, 0x0A]
        let rows = try readRows(temporaryFile(bytes), encoding: CSVEncoding(name: "Windows-1252"))
        #expect(rows == [["name", "price"], ["Café – x", "80€"]])
    }

    @Test func invalidUTF8IsAnErrorWithItsOffsetLineAndColumn() throws {
        let bytes: [UInt8] = Array("id,name\n1,Caf".utf8) + [0xE9] + Array(",x\n".utf8)
        let path = temporaryFile(bytes)
        let error = ingestError { _ = try readRows(path) }
        #expect(error?.reason.contains("invalid UTF-8: byte 0xE9 at byte offset 13") == true)
        #expect(error?.reason.contains("windows-1252") == true)
        #expect(error?.location == SourceLocation(file: path, line: 2, column: 6))
    }

    @Test func truncatedUTF8AtTheEndIsAnError() throws {
        let error = ingestError { _ = try readRows(temporaryFile(Array("a,b\n1,".utf8) + [0xC3])) }
        #expect(error?.reason.contains("ends inside a multi-byte character") == true)
    }

    @Test func nulByteIsAnError() throws {
        let error = ingestError { _ = try readRows(temporaryFile(Array("a,b\n1,2\n3,".utf8) + [0x00] + Array("4\n".utf8))) }
        #expect(error?.reason.contains("NUL byte at byte offset 10") == true)
        #expect(error?.location?.line == 3)
        #expect(error?.location?.column == 3)
    }

    @Test func unterminatedQuoteIsAnErrorAtTheQuote() throws {
        let path = temporaryFile("a,b\n1,2\n3,\"never closed\n4,5\n")
        let error = ingestError { _ = try readRows(path) }
        #expect(error?.reason == "unterminated quoted field starting at line 3")
        #expect(error?.location == SourceLocation(file: path, line: 3, column: 3))
        #expect(error?.description == "\(path):3:3: error: unterminated quoted field starting at line 3")
    }

    @Test func bareQuotesAreKeptLiterallyAndFlagged() throws {
        let reader = try CSVReader(path: temporaryFile("a,b,c\n5\" screen,\"ok\" really,x\n"))
        _ = try reader.nextRow()
        let row = try #require(try reader.nextRow())
        #expect(row.strings == ["5\" screen", "\"ok\" really", "x"])
        #expect(row.bareQuoteFields == [0, 1])
    }

    @Test func emptyFileHasNoRows() throws {
        #expect(try readRows(temporaryFile("")) == [])
    }

    @Test func missingFileIsAnError() throws {
        let error = ingestError { _ = try CSVReader(path: "/nonexistent/dir/x.csv") }
        #expect(error?.reason.hasPrefix("cannot open") == true)
    }

    /// Rows crossing chunk boundaries: a quoted field spanning one, CRLF split across one, a multi-byte character cut by one.
    @Test(arguments: [64, 97, 4096])
    func rowsAcrossChunkBoundaries(chunkSize: Int) throws {
        var text = "id,comment,team\r\n"
        var expected: [[String]] = [["id", "comment", "team"]]
        for i in 1...3000 {
            let comment = i % 7 == 0 ? "multi\r\nline \"\"quoted\"\" é \(String(repeating: "x", count: i % 150))" : "plain ü \(i)"
            text += "\(i),\"\(comment)\",T\(i % 13)\r\n"
            expected.append(["\(i)", comment.replacingOccurrences(of: "\"\"", with: "\""), "T\(i % 13)"])
        }
        let path = temporaryFile(text)
        let reader = try CSVReader(path: path, chunkSize: chunkSize)
        var rows: [[String]] = []
        var lines: [Int] = []
        while let row = try reader.nextRow() {
            rows.append(row.strings)
            lines.append(row.line)
        }
        #expect(rows == expected)
        #expect(lines.last == 3001 + 3000 / 7)
        // The buffer stays at the chunk size unless a row is larger than half of it.
        #expect(reader.bufferCapacity <= max(chunkSize, 64) * 8)
    }

    @Test func severalMegabytesStayInOneChunkBuffer() throws {
        var text = "id,value\n"
        let line = String(repeating: "y", count: 90)
        for i in 0..<60_000 { text += "\(i),\"\(line),\(i)\"\n" }
        let path = temporaryFile(text)
        let reader = try CSVReader(path: path)
        var count = 0
        var last = ""
        while let row = try reader.nextRow() {
            count += 1
            last = row.string(at: 1)
        }
        #expect(count == 60_001)
        #expect(last == "\(line),59999")
        #expect(reader.bufferCapacity == 1 << 18)  // the default chunk: memory flat in file size
    }

    @Test func oversizedRowIsAnError() throws {
        let text = "a,b\n1,\"" + String(repeating: "z", count: 5000)
        let reader = try CSVReader(path: temporaryFile(text), chunkSize: 256, maxRowBytes: 1024)
        let error = ingestError { while try reader.nextRow() != nil {} }
        #expect(error?.reason.contains("is larger than") == true)
        #expect(error?.location?.line == 2)
    }
}
