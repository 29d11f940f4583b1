import Foundation
import Testing
@testable import Render

@Suite struct NumberTextTests {
    @Test(arguments: [
        (0.0, "0.000000"), (-0.0, "0.000000"), (-0.0000001, "0.000000"), (0.0000001, "0.000000"),
        (99.9999996, "100.000000"), (12.5, "12.500000"), (-12.5, "-12.500000"), (100, "100.000000"),
        (-100, "-100.000000"), (1.0000005, "1.000001"), (-0.0000006, "-0.000001"), (64.28571428, "64.285714"),
        (123456789.123456, "123456789.123456"), (1e20, "100000000000000000000.000000"),
    ])
    func sixDecimals(_ value: Double, _ expected: String) {
        #expect(NumberText.fixed6(value) == expected)
    }

    @Test func notFiniteIsBlank() {
        #expect(NumberText.fixed6(.nan) == "")
        #expect(NumberText.fixed6(.infinity) == "")
        #expect(NumberText.whole(-.infinity) == "")
    }

    @Test func agreesWithPrintfAwayFromTies() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let v = Double.random(in: -1000...1000, using: &generator)
            let scaled = abs(v) * 1e6
            if abs(scaled - scaled.rounded(.down) - 0.5) < 1e-3 { continue }
            var expected = String(format: "%.6f", v)
            if expected == "-0.000000" { expected = "0.000000" }
            #expect(NumberText.fixed6(v) == expected, "\(v)")
        }
    }

    @Test func wholeAndOneDecimal() {
        #expect(NumberText.whole(72.5) == "73")
        #expect(NumberText.whole(-0.4) == "0")
        #expect(NumberText.whole(-12.5) == "-13")
        #expect(NumberText.oneDecimal(4.25) == "4.3")
        #expect(NumberText.oneDecimal(-0.04) == "0.0")
        #expect(FigureFormatter.signedWhole(12.5) == "+13")
        #expect(FigureFormatter.signedWhole(-12.5) == "\u{2212}13")
        #expect(FigureFormatter.signedWhole(-0.0000001) == "0")
    }

    /// The looked-up texts of small values agree with printf at 0 and 1 decimals, on both sides of the table's end.
    @Test func tableTextsAgreeWithPrintf() {
        let end = NumberText.tableSize
        for n in Array(0 ..< end + 50) + [end * 10 - 1, end * 10, end * 10 + 1] {
            #expect(NumberText.whole(Double(n)) == String(format: "%.0f", Double(n)))
            #expect(NumberText.oneDecimal(Double(n) / 10) == String(format: "%.1f", Double(n) / 10), "\(n)")
        }
        #expect(NumberText.oneDecimal(-0.25) == "-0.3")
        #expect(NumberText.whole(-9_999.4) == "-9999")
    }

    /// SVG coordinates: one decimal, a trailing `.0` left out, never `-0`.
    @Test(arguments: [
        (0.0, "0"), (-0.04, "0"), (-0.05, "-0.1"), (12.0, "12"), (12.04, "12"), (12.05, "12.1"), (999.96, "1000"),
        (-3.0, "-3"), (-3.25, "-3.3"), (1_000.5, "1000.5"), (123_456.7, "123456.7"), (1e16, "10000000000000000"),
    ])
    func compact(_ value: Double, _ expected: String) {
        #expect(NumberText.compact(value) == expected)
        #expect(SVGNumber.text(value) == expected)
    }

    @Test func compactIsOneDecimalWithoutTrailingZero() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let v = Double.random(in: -3000...3000, using: &generator)
            let one = NumberText.oneDecimal(v)
            #expect(NumberText.compact(v) == (one.hasSuffix(".0") ? String(one.dropLast(2)) : one), "\(v)")
        }
    }

    /// The interval table gives what writing both ends does, on both sides of its edges and at every tie in it.
    @Test func wholeRangeIsBothWholeNumbersWithAnEnDash() {
        var values: [Double] = [-0.6, -0.5, -0.4, -0.0, 0, 0.49, 0.5, 99.49, 99.5, 100, 100.49, 100.5, 101, 250, .nan, .infinity]
        values += (0...200).map { Double($0) / 2 }
        for low in values {
            for high in values {
                let written = FigureFormatter.whole(low) + "\u{2013}" + FigureFormatter.whole(high)
                #expect(FigureFormatter.wholeRange(low, high) == written, "\(low) \(high)")
                if let table = NumberText.wholeRange(low, high) {
                    #expect(table == NumberText.whole(low) + "\u{2013}" + NumberText.whole(high))
                    #expect(table.utf8.count <= 15)  // inline: no allocation per interval
                } else {
                    #expect(!low.isFinite || !high.isFinite || NumberText.whole(low).hasPrefix("-") || NumberText.whole(high).hasPrefix("-")
                            || low >= 100.5 || high >= 100.5)
                }
            }
        }
    }

    /// The exports write numbers straight into their buffer: the same text as `fixed`, at every precision, for values
    /// around zero, ties, large values and past the integer path's end.
    @Test func appendWritesWhatFixedReturns() {
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1e-7, -1e-7, 12.5, -12.5, 99.9999996, 64.28571428, 9.0e14, 8.999_999e15,
                                9.0e15, -9.5e15, 1e20, .nan, .infinity, -.infinity]
        var generator = SystemRandomNumberGenerator()
        values += (0..<2_000).map { _ in Double.random(in: -1e6...1e6, using: &generator) }
        for decimals in 0...6 {
            let out = ByteBuffer(capacity: 16)
            var expected = ""
            for v in values {
                NumberText.append(v, decimals: decimals, to: out)
                out.append(UInt8(ascii: ";"))
                expected += NumberText.fixed(v, decimals: decimals) + ";"
            }
            #expect(String(decoding: out.contents, as: UTF8.self) == expected)
        }
    }

    @Test func appendIntegerWritesWhatStringDoes() {
        var values = [0, 1, -1, 9, 10, -10, 99, 100, 12_345, -98_765, Int.max, Int.min, Int.max - 1, Int.min + 1]
        values += (0 ... 18).flatMap { e -> [Int] in
            let p = (0 ..< e).reduce(1) { r, _ in r * 10 }
            return [p - 1, p, p + 1, -p, -(p - 1)]
        }
        var generator = SystemRandomNumberGenerator()
        values += (0 ..< 2_000).map { _ in Int.random(in: Int.min ... Int.max, using: &generator) }
        let out = ByteBuffer(capacity: 8)
        var expected = ""
        for v in values {
            NumberText.append(integer: v, to: out)
            out.append(UInt8(ascii: ";"))
            expected += String(v) + ";"
        }
        #expect(String(decoding: out.contents, as: UTF8.self) == expected)
    }
}
