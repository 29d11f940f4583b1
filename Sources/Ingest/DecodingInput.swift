#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in chunks and hands out valid UTF-8 only: UTF-8 is validated, UTF-16 and Windows-1252 are transcoded.
/// The first broken byte stops the stream; `problem` then says what and where (a byte offset in the file),
/// and the CSV reader adds the line and column it reached.
final class DecodingInput {
    let fd: Int32
    let path: String
    let encoding: CSVEncoding
    /// Raw bytes read but not yet decoded (an incomplete UTF-8 sequence, an odd UTF-16 byte) sit at the front.
    private var raw: UnsafeMutablePointer<UInt8>
    private let rawCapacity: Int
    private var rawCount = 0
    /// File offset of `raw[0]`.
    private var rawBase: Int
    private var fileEnded = false
    private var pendingHighSurrogate: UInt16?
    private var pendingHighSurrogateOffset = 0
    /// Why the stream stopped early, with the file offset of the offending byte.
    private(set) var problem: String?

    /// Opens `path` and positions it after `bomLength` bytes.
    init(path: String, encoding: CSVEncoding, bomLength: Int, chunkSize: Int) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw IngestError("cannot open: \(DecodingInput.errnoText())", at: .init(file: path)) }
        self.fd = fd
        self.path = path
        self.encoding = encoding
        rawCapacity = max(chunkSize, 64)
        raw = .allocate(capacity: rawCapacity)
        rawBase = bomLength
        if bomLength > 0, lseek(fd, off_t(bomLength), SEEK_SET) < 0 {
            let text = DecodingInput.errnoText()
            close(fd)
            raw.deallocate()
            throw IngestError("cannot read: \(text)", at: .init(file: path))
        }
    }

    deinit {
        close(fd)
        raw.deallocate()
    }

    /// File bytes decoded so far (for progress).
    var bytesConsumed: Int { rawBase }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Reads the first `count` bytes of a file without consuming them (for byte-order mark sniffing).
    static func head(of path: String, count: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw IngestError("cannot open: \(errnoText())", at: .init(file: path)) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
        guard got >= 0 else { throw IngestError("cannot read: \(errnoText())", at: .init(file: path)) }
        return Array(bytes.prefix(got))
    }

    /// Fills `raw` after what is carried; false at end of file.
    private func readRaw(limit: Int) throws -> Bool {
        guard !fileEnded else { return false }
        let room = min(rawCapacity, limit) - rawCount
        guard room > 0 else { return true }
        while true {
            let got = read(fd, raw + rawCount, room)
            if got < 0 {
                if errno == EINTR { continue }
                throw IngestError("cannot read: \(DecodingInput.errnoText())", at: .init(file: path))
            }
            if got == 0 { fileEnded = true; return false }
            rawCount += got
            return true
        }
    }

    /// Drops the first `count` raw bytes (decoded), keeping the rest for the next call.
    private func consumeRaw(_ count: Int) {
        let rest = rawCount - count
        if rest > 0 { (raw).update(from: raw + count, count: rest) }
        rawCount = rest
        rawBase += count
    }

    /// Writes up to `capacity` bytes of valid UTF-8 to `out`; 0 means the end of the text (or `problem` is set).
    func readText(into out: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int {
        guard problem == nil, capacity >= 4 else { return 0 }
        while true {
            let written: Int
            switch encoding {
            case .utf8: written = try decodeUTF8(into: out, capacity: capacity)
            case .utf16LE, .utf16BE: written = try decodeUTF16(into: out, capacity: capacity, littleEndian: encoding == .utf16LE)
            case .windows1252: written = try decodeWindows1252(into: out, capacity: capacity)
            }
            // A chunk can decode to nothing (only a carried partial sequence); read on until text, the end, or a problem.
            if written > 0 || problem != nil || (fileEnded && rawCount == 0) { return written }
            if fileEnded {
                // Leftover bytes at the end of the file are a truncated character.
                problem = truncatedMessage()
                return 0
            }
        }
    }

    private func truncatedMessage() -> String {
        switch encoding {
        case .utf8: "invalid UTF-8: the file ends inside a multi-byte character (byte offset \(rawBase))"
        case .utf16LE, .utf16BE: "invalid UTF-16: the file ends inside a character (byte offset \(rawBase))"
        case .windows1252: "unexpected end of file"
        }
    }

    private func decodeUTF8(into out: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int {
        _ = try readRaw(limit: capacity)
        let result = validateUTF8(raw, rawCount)
        let valid = result.end
        out.update(from: raw, count: valid)
        switch result.problem {
        case .none:
            consumeRaw(valid)
        case .truncated:
            consumeRaw(valid)
            if fileEnded { problem = truncatedMessage() }
        case .nul:
            problem = "NUL byte at byte offset \(rawBase + valid): a CSV file never contains one (a binary file, or UTF-16 declared as something else?)"
        case .invalid:
            let byte = raw[valid]
            problem = "invalid UTF-8: byte 0x\(hex(byte)) at byte offset \(rawBase + valid)"
                + " (if the file was saved by Excel on Windows, declare encoding: windows-1252)"
        }
        return valid
    }

    private func decodeUTF16(into out: UnsafeMutablePointer<UInt8>, capacity: Int, littleEndian: Bool) throws -> Int {
        // Two raw bytes become at most three UTF-8 bytes (a surrogate pair: four bytes become four).
        _ = try readRaw(limit: max(4, (capacity / 3) * 2 - 2))
        var i = 0
        var o = 0
        let raw = self.raw
        while i + 1 < rawCount {
            let unit: UInt16 = littleEndian
                ? UInt16(raw[i]) | UInt16(raw[i + 1]) << 8
                : UInt16(raw[i]) << 8 | UInt16(raw[i + 1])
            var scalar: UInt32
            if let high = pendingHighSurrogate {
                guard unit >= 0xDC00 && unit <= 0xDFFF else {
                    problem = "invalid UTF-16: unpaired surrogate at byte offset \(pendingHighSurrogateOffset)"
                    consumeRaw(i)
                    return o
                }
                scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                pendingHighSurrogate = nil
            } else if unit >= 0xD800 && unit <= 0xDBFF {
                pendingHighSurrogate = unit
                pendingHighSurrogateOffset = rawBase + i
                i += 2
                continue
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                problem = "invalid UTF-16: unpaired surrogate at byte offset \(rawBase + i)"
                consumeRaw(i)
                return o
            } else {
                scalar = UInt32(unit)
            }
            if scalar == 0 {
                problem = "NUL character at byte offset \(rawBase + i): a CSV file never contains one"
                consumeRaw(i)
                return o
            }
            o += encodeUTF8(scalar, out + o)
            i += 2
        }
        consumeRaw(i)
        if fileEnded && rawCount == 0 && pendingHighSurrogate != nil {
            problem = "invalid UTF-16: unpaired surrogate at byte offset \(pendingHighSurrogateOffset)"
        }
        return o
    }

    private func decodeWindows1252(into out: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int {
        _ = try readRaw(limit: max(1, capacity / 3))
        var o = 0
        let raw = self.raw
        for i in 0..<rawCount {
            let b = raw[i]
            if b == 0 {
                problem = "NUL byte at byte offset \(rawBase + i): a CSV file never contains one"
                consumeRaw(i)
                return o
            }
            if b < 0x80 {
                out[o] = b
                o += 1
            } else if b < 0xA0 {
                o += encodeUTF8(UInt32(windows1252High[Int(b) - 0x80]), out + o)
            } else {
                o += encodeUTF8(UInt32(b), out + o)
            }
        }
        consumeRaw(rawCount)
        return o
    }
}

@inline(__always)
func encodeUTF8(_ scalar: UInt32, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    switch scalar {
    case 0..<0x80:
        out[0] = UInt8(scalar)
        return 1
    case 0x80..<0x800:
        out[0] = UInt8(0xC0 | (scalar >> 6))
        out[1] = UInt8(0x80 | (scalar & 0x3F))
        return 2
    case 0x800..<0x10000:
        out[0] = UInt8(0xE0 | (scalar >> 12))
        out[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
        out[2] = UInt8(0x80 | (scalar & 0x3F))
        return 3
    default:
        out[0] = UInt8(0xF0 | (scalar >> 18))
        out[1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
        out[2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
        out[3] = UInt8(0x80 | (scalar & 0x3F))
        return 4
    }
}

func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}

enum UTF8Problem { case invalid, truncated, nul }

/// The length of the valid UTF-8 prefix of `p[0..<n]` and why it stops there; NUL counts as invalid.
func validateUTF8(_ p: UnsafePointer<UInt8>, _ n: Int) -> (end: Int, problem: UTF8Problem?) {
    var i = 0
    while i < n {
        // Eight ASCII bytes at a time, none of them zero.
        while i + 8 <= n {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            if w & 0x8080_8080_8080_8080 != 0 { break }
            if (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        if i >= n { break }
        let b = p[i]
        if b < 0x80 {
            if b == 0 { return (i, .nul) }
            i += 1
            continue
        }
        var need = 0
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch b {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: return (i, .invalid)
        }
        var k = 1
        while k <= need {
            if i + k >= n { return (i, .truncated) }
            let c = p[i + k]
            if k == 1 {
                if c < lo || c > hi { return (i, .invalid) }
            } else if c & 0xC0 != 0x80 {
                return (i, .invalid)
            }
            k += 1
        }
        i += need + 1
    }
    return (n, nil)
}
