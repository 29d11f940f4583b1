import Crypto
import Foundation
import LeanPulseCore
import Normalize
import Testing

struct TimestampParserTests {
    let utc = TimeZone(identifier: "UTC")!

    @Test func readsTheFormsSurveyToolsWrite() throws {
        let parser = try TimestampParser(zone: utc)
        // 2026-10-05T07:00:00Z = 1_791_183_600
        #expect(parser.parse("2026-10-05T07:00:00Z")?.epochSeconds == 1_791_183_600)
        #expect(parser.parse("2026-10-05 07:00:00")?.epochSeconds == 1_791_183_600)
        #expect(parser.parse("2026-10-05T09:00:00+02:00")?.epochSeconds == 1_791_183_600)
        #expect(parser.parse("10/5/2026 7:00:00")?.epochSeconds == 1_791_183_600)
        #expect(parser.parse("10/5/26 7:00")?.epochSeconds == 1_791_183_600)
        #expect(parser.parse("10/5/2026 7:00:00 AM")?.epochSeconds == 1_791_183_600)
        #expect(parser.parse("2026-10-05")?.epochSeconds == 1_791_158_400)
        #expect(parser.parse("2026-02-30") == nil)
        #expect(parser.parse("yesterday") == nil)
        #expect(parser.parse("2026-10-05T25:00:00Z") == nil)
        // The fixed-position ISO path hands anything else to the general reader.
        #expect(parser.parse("2026-1x-05") == nil)
        #expect(parser.parse("2026-10-05T07:0x:00Z") == nil)
        #expect(parser.parse("2026-10-05T07:00:00.5Z")?.epochSeconds == 1_791_183_600)
        #expect(parser.parse("2026-10-05T07:00:00+00:00")?.epochSeconds == 1_791_183_600)
        #expect(parser.parse(" 2026-10-05 ")?.epochSeconds == 1_791_158_400)
    }

    /// Placeholders are not dates: .NET's empty `0001-01-01T00:00:00`, Excel's day 0, any year before 1900 (a year
    /// before 1000 has no `YYYY-Qn` period and failed the store's CHECK in session 17's audit). Each path refuses them.
    @Test func yearsBefore1900AreNotDates() throws {
        let parser = try TimestampParser(zone: utc)
        for text in ["0001-01-01T00:00:00", "0999-12-31", "01/01/0001", "1899-12-30", "1899-12-31T23:59:59Z", "0001.01.01"] {
            #expect(parser.parse(text) == nil, "\(text)")
            var copy = text
            #expect(copy.withUTF8 { parser.dayRead(bytes: $0) } == nil, "\(text)")
            #expect(copy.withUTF8 { parser.day(bytes: $0) } == nil, "\(text)")
        }
        #expect(parser.parse("1900-01-01")?.epochSeconds == -2_208_988_800)
        let formatted = try TimestampParser(zone: utc, format: "dd.MM.yyyy")
        #expect(formatted.parse("01.01.0001") == nil && formatted.parse("01.01.1900") != nil)
        #expect(Period("0001-Q1") == nil && Period("999-Q1") == nil && Period("1899-Q4") == nil && Period("1900-Q1") != nil)
    }

    @Test func readsLocalTimesInTheSourceZone() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let parser = try TimestampParser(zone: berlin)
        // Summer time: UTC+2.
        #expect(parser.parse("2026-07-01 00:30:00")?.epochSeconds == 1_782_858_600)
        // A submission just after midnight local time on the first day of a quarter belongs to that quarter.
        let ts = parser.parse("2026-07-01 00:30:00")!
        #expect(Period(containing: ts.day(in: berlin)).description == "2026-Q3")
        #expect(Period(containing: ts.day(in: utc)).description == "2026-Q2")
    }

    @Test func honoursAnExplicitFormat() throws {
        let parser = try TimestampParser(zone: utc, format: "dd.MM.yyyy HH:mm")
        #expect(parser.parse("05.10.2026 07:00")?.epochSeconds == 1_791_183_600)
        #expect(parser.parse("2026-10-05 07:00") == nil)
        #expect(throws: Diagnostic.self) { try TimestampParser(zone: utc, format: "yyy-MM-dd") }
    }

    /// 12-hour clocks (SurveyMonkey's `10/05/2026 07:00:00 AM`), quoted text, and letters the parser lacks as errors
    /// rather than text that fails every date (session 14's format audit: `hh:mm:ss a` rejected a whole export).
    @Test func twelveHourClocksQuotedTextAndUnsupportedLetters() throws {
        let us = try TimestampParser(zone: utc, format: "MM/dd/yyyy hh:mm:ss a")
        #expect(us.parse("10/05/2026 07:00:00 AM")?.epochSeconds == 1_791_183_600)
        #expect(us.parse("10/05/2026 07:00:00 pm")?.epochSeconds == Int64(1_791_226_800))
        #expect(us.parse("10/05/2026 12:00:00 AM")?.epochSeconds == 1_791_158_400)  // midnight
        #expect(us.parse("10/05/2026 12:30:00 PM")?.epochSeconds == Int64(1_791_203_400))  // half past noon
        #expect(us.parse("10/05/2026 13:00:00 PM") == nil)
        let iso = try TimestampParser(zone: utc, format: "yyyy-MM-dd'T'HH:mm")
        #expect(iso.parse("2026-10-05T07:00")?.epochSeconds == 1_791_183_600)
        #expect(try TimestampParser(zone: utc, format: "yyyy-MM-ddTHH:mm").parse("2026-10-05T07:00")?.epochSeconds == 1_791_183_600)
        for bad in ["yyyy-MM-dd HH:mm:ss.SSS", "yyyy-MM-dd HH:mm zzz", "EEE dd MMM", "hh:mm", "HH:mm a", "yyyy-MM-dd'T"] {
            #expect(throws: Diagnostic.self, "\(bad)") { try TimestampParser(zone: utc, format: bad) }
        }
    }
}

extension TimestampParserTests {
    /// Google Forms' own download (Responses > Download responses) writes `2026/10/05 9:00:00 AM GMT+2`: year first with
    /// slashes, a 12-hour clock and the offset after `GMT`. Year-first slash dates are never day first, so they read
    /// without `date_format` and without the month-first warning; `Z`, `X` and `O` read the same offsets in a pattern.
    @Test func yearFirstSlashDatesAndGMTOffsets() throws {
        let berlin = try TimestampParser(zone: TimeZone(identifier: "Europe/Berlin")!)
        // 2026-10-05T07:00:00Z = 1_791_183_600; Berlin is on summer time (+2) that day.
        #expect(berlin.parse("2026/10/05 9:00:00 AM GMT+2")?.epochSeconds == 1_791_183_600)
        #expect(berlin.parse("2026/10/05 7:00:00 AM GMT")?.epochSeconds == 1_791_183_600)
        #expect(berlin.parse("2026/10/05 2:30:00 AM GMT-4:30")?.epochSeconds == 1_791_183_600)
        #expect(berlin.parse("2026/10/05 12:30:00 PM UTC+05:30")?.epochSeconds == 1_791_183_600)
        #expect(berlin.parse("2026-10-05 07:00:00 utc")?.epochSeconds == 1_791_183_600)
        #expect(berlin.parse("2026-10-05 09:00:00 +0200")?.epochSeconds == 1_791_183_600)
        #expect(berlin.parse("2026/10/05 09:00:00")?.epochSeconds == 1_791_183_600)
        #expect(berlin.parse("2026/10/05 7:00:00 AM GMT+19") == nil)
        #expect(berlin.parse("2026/10/05 7:00:00 AM GMX+1") == nil)
        #expect(berlin.parse("2026/10/05 7:00:00 AM GMT+") == nil)
        #expect(berlin.parse("2026/10-05 07:00") == nil)
        #expect(berlin.parse("2026/13/05") == nil)
        var text = "2026/10/05"
        let read = text.withUTF8 { berlin.dayRead(bytes: $0) }
        #expect(read?.day == Day(year: 2026, month: 10, day: 5))
        #expect(read?.monthFirst == false)
        // Dots: day first (German, Nordic and Slavic locales), or year first.
        #expect(berlin.parse("05.10.2026 09:00:00")?.epochSeconds == 1_791_183_600)
        #expect(berlin.parse("5.10.26 9:00")?.epochSeconds == 1_791_183_600)
        #expect(berlin.parse("2026.10.05 09:00")?.epochSeconds == 1_791_183_600)
        #expect(berlin.parse("13.10.2026")?.epochSeconds == berlin.parse("2026-10-13")?.epochSeconds)
        #expect(berlin.parse("10.13.2026") == nil)  // no month 13: dotted dates are never read month first
        #expect(berlin.parse("05.10.202") == nil)
        #expect(berlin.parse("4.5") == nil)
        var dayFirst = "05.10.2026"
        let dottedRead = dayFirst.withUTF8 { berlin.dayRead(bytes: $0) }
        #expect(dottedRead?.day == Day(year: 2026, month: 10, day: 5))
        #expect(dottedRead?.monthFirst == false)

        let utc = TimeZone(identifier: "UTC")!
        #expect(try TimestampParser(zone: utc, format: "yyyy-MM-dd HH:mm Z").parse("2026-10-05 09:00 +02:00")?.epochSeconds == 1_791_183_600)
        #expect(try TimestampParser(zone: utc, format: "yyyy-MM-dd'T'HH:mmXXX").parse("2026-10-05T07:00Z")?.epochSeconds == 1_791_183_600)
        let dotted = try TimestampParser(zone: utc, format: "dd.MM.yyyy HH:mm O")
        #expect(dotted.parse("05.10.2026 09:00 GMT+2")?.epochSeconds == 1_791_183_600)
        #expect(dotted.parse("05.10.2026 07:00") == nil)  // the pattern names an offset, so one must be there
        // A date with an offset is an instant, not a calendar day as written.
        let dated = try TimestampParser(zone: utc, format: "yyyy-MM-dd Z")
        #expect(dated.parse("2026-10-05 +02:00")?.epochSeconds == 1_791_151_200)
    }

    /// Texts made of the characters dates are written with, cut anywhere: the reader returns a value or nil, never
    /// reads past the text (the debug build checks every buffer access), and every accepted text reads again the same.
    @Test func anyTextOfDateCharactersIsReadOrRefused() throws {
        let alphabet = Array("0123456789/-:.+ TZAPMGUTCamptczAugSeyJn")
        let parsers = [try TimestampParser(zone: utc), try TimestampParser(zone: utc, format: "yyyy/MM/dd h:mm:ss a O"),
                       try TimestampParser(zone: utc, format: "dd.MM.yy HH:mmXXX"), try TimestampParser(zone: utc, format: "d-MMM-yy")]
        var random = SystemRandomNumberGenerator()
        var accepted = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...28, using: &random)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &random)! })
            for parser in parsers {
                if let first = parser.parse(text) {
                    accepted += 1
                    #expect(parser.parse(text) == first, "\(text)")
                }
            }
        }
        // Grown from real shapes, so that the accepting paths are walked too.
        for text in ["2026/10/05 9:00:00 AM GMT+2", "2026-10-05T07:00:00Z", "10/5/26 7:00", "05.10.26 07:00+02:00", "14-Sept-26 7:00"] {
            for cut in 0...text.utf8.count {
                let prefix = String(decoding: text.utf8.prefix(cut), as: UTF8.self)
                for parser in parsers { if parser.parse(prefix) != nil { accepted += 1 } }
            }
        }
        #expect(accepted > 0)
    }

    /// A plain date is that calendar day in every zone (also where a DST change skips local midnight: Santiago and Havana
    /// move their clocks at 00:00), and anything else is the day of the parsed instant in the zone, as before.
    @Test func plainDatesAreTheirDayInEveryZone() throws {
        for name in ["UTC", "Europe/Berlin", "America/New_York", "America/Santiago", "America/Havana", "Pacific/Kiritimati"] {
            let parser = try TimestampParser(zone: TimeZone(identifier: name)!)
            var day = Day(year: 2026, month: 1, day: 1)!
            for _ in 0..<366 {
                let text = day.description
                let parsed = Array(text.utf8).withUnsafeBufferPointer { parser.day(bytes: $0) }
                #expect(parsed == day, "\(name) \(text)")
                day = Day(ordinal: day.ordinal + 1)
            }
            for text in ["2026-10-05T23:30:00Z", "10/5/2026 23:30:00", "2026-10-05 07:00:00", "2026-1-5"] {
                let viaInstant = parser.parse(text).map(parser.day(of:))
                #expect(Array(text.utf8).withUnsafeBufferPointer { parser.day(bytes: $0) } == viaInstant, "\(name) \(text)")
            }
            for bad in ["2026-13-01", "2026-02-30", "2026-0a-01", "", "yesterday"] {
                #expect(Array(bad.utf8).withUnsafeBufferPointer { parser.day(bytes: $0) } == nil, "\(name) \(bad)")
            }
        }
        let berlin = try TimestampParser(zone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(Array("2026-10-05T23:30:00Z".utf8).withUnsafeBufferPointer { berlin.day(bytes: $0) } == Day(year: 2026, month: 10, day: 6))
    }

    /// Times are read in the export's zone and their days taken in the pipeline's; a date alone stays the date written,
    /// whatever the two zones (midnight in Zurich is the day before in UTC).
    @Test func daysComeFromTheDayZoneAndDatesAloneStayAsWritten() throws {
        let zurich = TimeZone(identifier: "Europe/Zurich")!, denver = TimeZone(identifier: "America/Denver")!
        for (zone, dayZone) in [(zurich, utc), (denver, utc), (utc, zurich), (utc, denver), (zurich, denver)] {
            let parser = try TimestampParser(zone: zone, dayZone: dayZone)
            for text in ["2026-07-01", "7/1/2026", "7/1/26", "20260701"] {
                let parsed = Array(text.utf8).withUnsafeBufferPointer { parser.parsed(bytes: $0) }
                #expect(parsed?.civilDay == Day(year: 2026, month: 7, day: 1), "\(text)")
                #expect(parsed.map(parser.day(of:)) == Day(year: 2026, month: 7, day: 1), "\(text)")
                #expect(Array(text.utf8).withUnsafeBufferPointer { parser.day(bytes: $0) } == Day(year: 2026, month: 7, day: 1))
            }
            let withTime = try #require(Array("2026-07-01 00:30:00".utf8).withUnsafeBufferPointer { parser.parsed(bytes: $0) })
            #expect(withTime.civilDay == nil)
            #expect(parser.day(of: withTime) == withTime.timestamp.day(in: dayZone))
        }
        // 00:30 in Zurich (UTC+2 in July) is 22:30 UTC the day before.
        let parser = try TimestampParser(zone: zurich, dayZone: utc)
        #expect(Array("2026-07-01 00:30:00".utf8).withUnsafeBufferPointer { parser.day(bytes: $0) } == Day(year: 2026, month: 6, day: 30))
        #expect(Array("2026-07-01T00:30:00Z".utf8).withUnsafeBufferPointer { parser.parsed(bytes: $0) }?.civilDay == nil)
        // An explicit format with no time of day is a date alone too.
        let dotted = try TimestampParser(zone: zurich, format: "dd.MM.yyyy", dayZone: utc)
        #expect(Array("01.07.2026".utf8).withUnsafeBufferPointer { dotted.day(bytes: $0) } == Day(year: 2026, month: 7, day: 1))
    }

    /// ISO 8601's basic calendar date, as Triple-S writes date variables.
    @Test func readsTheBasicISODate() throws {
        let parser = try TimestampParser(zone: utc)
        #expect(parser.parse("20261005")?.epochSeconds == 1_791_158_400)
        #expect(parser.parse("20260230") == nil)
        #expect(parser.parse("2026100") == nil)
        #expect(parser.parse("2026x005") == nil)
    }
}

struct PseudonymizerTests {
    @Test func isHMACSHA256() {
        // RFC 4231 test case 2.
        #expect(Pseudonymizer(key: "Jefe").pseudonym("what do ya want for nothing?")
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(Pseudonymizer(key: "k").pseudonym(" E42 ") == Pseudonymizer(key: "k").pseudonym("E42"))
        #expect(Pseudonymizer(key: "k").pseudonym("E42") != Pseudonymizer(key: "k2").pseudonym("E42"))
    }

    @Test func keysLongerThanABlockAreHashedFirst() {
        // Keys over 64 bytes are hashed first (RFC 2104), checked against Python's hmac module: hmac.new(b"k" * 100, b"E42", "sha256").hexdigest()
        #expect(Pseudonymizer(key: String(repeating: "k", count: 100)).pseudonym("E42")
                == "621ae66be3e2b4f160dc8f7de05e827ffc94f15b28092d23bccfaa1daef10ed9")
        // A key of exactly one block (64 bytes) is used as it is: hmac.new(b"x" * 64, b"", "sha256").hexdigest()
        #expect(Pseudonymizer(key: String(repeating: "x", count: 64)).pseudonym("") == "11642cb3115ab4fcbc2898be1ca886199659fbe54c0343a6839794862b47bf8f")
    }

    /// The stack-copied BoringSSL states agree with swift-crypto's own `HMAC<SHA256>` for ids of every length around
    /// the block boundaries (0...130 bytes, so the inner hash spans one to three blocks; up to 55 bytes it is the
    /// single-block path that pads the block itself) and keys around 64 bytes.
    @Test func agreesWithSwiftCryptoHMAC() {
        for keyLength in [0, 1, 31, 63, 64, 65, 200] {
            let key = String((0..<keyLength).map { Character(Unicode.Scalar(UInt8(97 + $0 % 26))) })
            let pseudonymizer = Pseudonymizer(key: key)
            for idLength in 0...130 {
                let id = String((0..<idLength).map { Character(Unicode.Scalar(UInt8(48 + ($0 * 7 + idLength) % 75))) })
                let expected = HMAC<SHA256>.authenticationCode(for: Array(id.utf8), using: SymmetricKey(data: Array(key.utf8)))
                    .map { String(format: "%02x", $0) }.joined()
                let actual = id.utf8.withContiguousStorageIfAvailable { pseudonymizer.pseudonym(bytes: $0) }
                    ?? Array(id.utf8).withUnsafeBufferPointer { pseudonymizer.pseudonym(bytes: $0) }
                #expect(actual == expected, "key \(keyLength) bytes, id \(idLength) bytes")
            }
        }
    }
}

/// Dates as exports write them beyond the presets: suggested formats, month names, the last day of the years.
extension TimestampParserTests {
    /// What a `bad-date` finding suggests: the format that reads the text, when its day and month can be told apart.
    @Test func suggestedFormatReadsTheTextItIsFor() throws {
        let cases: [(String, String?)] = [
            ("14/08/2026 18:41:38", "dd/MM/yyyy HH:mm:ss"), ("14.08.26 8:41", "dd.MM.yy H:mm"), ("8/14/2026 6:41 PM", "MM/dd/yyyy h:mm a"),
            ("14-08-2026", "dd-MM-yyyy"), ("05/08/2026", nil), ("14-Aug-2026", nil), ("46248.7791", nil), ("31/13/2026", nil),
        ]
        for (text, expected) in cases {
            #expect(TimestampParser.suggestedFormat(for: text) == expected, "\(text)")
            if let expected {
                let parser = try TimestampParser(zone: TimeZone(identifier: "UTC")!, format: expected)
                #expect(parser.parse(text) != nil, "\(text) with \(expected)")
            }
        }
        #expect(TimestampParser.hint(format: nil, text: "14/08/2026").hasSuffix("(set date_format: dd/MM/yyyy)"))
        #expect(TimestampParser.hint(format: nil, text: "46248.7791").contains("spreadsheet day numbers are not read"))
    }

    /// English month names, as Excel re-saves dates (`14-Aug-2026`) and many locales write them: read without a format when
    /// the day comes first, and by `MMM`/`MMMM` in a `date_format` (session 18's audit left them `bad-date`).
    @Test func monthNamesAreRead() throws {
        let auto = try TimestampParser(zone: utc)
        let iso = { (text: String) in auto.parse(text)?.epochSeconds }
        // 2026-08-14 is day 20,679 since 1970; 18:41 adds 67,260 s.
        let midnight: Int64 = 20_679 * 86_400
        #expect(iso("2026-08-14") == midnight)
        for text in ["14-Aug-2026", "14-aug-26", "14 August 2026", "14 AUG 2026", "14-Aug.-2026"] {
            #expect(iso(text) == midnight, "\(text)")
        }
        #expect(iso("14-Aug-2026 18:41") == midnight + 67_260)
        #expect(iso("1 Sept 2026") == iso("2026-09-01"))
        #expect(iso("3-May-2026") == iso("2026-05-03"))
        #expect(iso("9 mar 26") == iso("2026-03-09"))
        for text in ["14-Augu-2026", "14-Foo-2026", "14-Au-2026", "31-Feb-2026", "14-Aug-", "14-Aug 2026", "Aug-14-2026", "14-Augustus-2026"] {
            #expect(auto.parse(text) == nil, "\(text)")
        }
        let us = try TimestampParser(zone: utc, format: "MMM d, yyyy h:mm a")
        #expect(us.parse("Aug 14, 2026 6:41 PM")?.epochSeconds == midnight + 67_260)
        #expect(us.parse("August 14, 2026 6:41 PM")?.epochSeconds == midnight + 67_260)
        #expect(us.parse("Agu 14, 2026 6:41 PM") == nil)
        let long = try TimestampParser(zone: utc, format: "dd-MMMM-yy")
        #expect(long.parse("14-august-26")?.epochSeconds == midnight)
        #expect(long.parse("14-Aug-26")?.epochSeconds == midnight)
        #expect(throws: Diagnostic.self) { try TimestampParser(zone: utc, format: "dd-MMMMM-yyyy") }
    }

    /// `9999-12-31T23:00:00Z` is the year 10000 in a zone east of UTC: no period to store it under, so not a date (session
    /// 18's audit: it failed the store's CHECK and the whole run). The same day in UTC, and west of it, still is one.
    @Test func theLastDayIsADateOnlyWhereItStaysInTheYear9999() throws {
        let east = try TimestampParser(zone: TimeZone(identifier: "UTC")!, dayZone: TimeZone(identifier: "Pacific/Kiritimati")!)
        #expect(east.parse("9999-12-31T23:00:00Z") == nil)
        #expect(east.parse("9999-12-31T10:00:00Z") == nil)
        #expect(east.parse("9999-12-31T09:59:00Z") != nil)
        let utc = try TimestampParser(zone: TimeZone(identifier: "UTC")!)
        #expect(utc.parse("9999-12-31T23:00:00Z") != nil)
        let west = try TimestampParser(zone: TimeZone(identifier: "UTC")!, dayZone: TimeZone(identifier: "America/New_York")!)
        #expect(west.parse("1900-01-01T03:00:00Z") == nil)
        #expect(west.parse("9999-12-31T23:00:00Z") != nil)
    }
}
