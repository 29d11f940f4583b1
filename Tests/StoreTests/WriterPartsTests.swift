import Foundation
import LeanPulseCore
@testable import Store
import Testing

/// The import writer's small parts checked against the plain statement of what they do.
struct WriterPartsTests {
    /// Answers' JSON equals joining the numbers' decimal texts (and `null`), for every kind of value.
    @Test func answersEncodeAsTheirDecimalTexts() {
        var bytes: [UInt8] = []
        var random = SystemRandomNumberGenerator()
        let special: [Int16] = [0, 9, 10, -1, -9, -10, 99, -99, 100, 32767, -32767, ResponseColumns.noAnswer]
        for length in 0...45 {
            for round in 0..<20 {
                let answers: [Int16] = (0..<length).map { i in
                    round % 2 == 0 ? special[(i + round) % special.count] : Int16.random(in: -32767...32767, using: &random)
                }
                let expected = "[" + answers.map { $0 == ResponseColumns.noAnswer ? "null" : String($0) }.joined(separator: ",") + "]"
                let count = answers.withUnsafeBufferPointer { AnswersText.encode($0, into: &bytes) }
                #expect(String(decoding: bytes[..<count], as: UTF8.self) == expected)
            }
        }
    }

    /// The row-id table answers like a dictionary through growth, replacements and a key of 0.
    @Test func rowIdTableAgreesWithADictionary() {
        var table = RowIdTable()
        var reference: [UInt64: Int64] = [:]
        var random = SystemRandomNumberGenerator()
        for i in 0..<20_000 {
            // Some keys repeat, some differ only in their low bits (the FNV hash's least mixed), one is 0.
            let key: UInt64 = i % 7 == 0 ? UInt64(i % 50) : i % 5 == 0 ? UInt64(i) << 40 : random.next()
            table[key] = Int64(i)
            reference[key] = Int64(i)
        }
        #expect(table.count == reference.count)
        for (key, row) in reference { #expect(table[key] == row) }
        for _ in 0..<1000 {
            let key = random.next() | 1 << 63
            #expect(table[key] == reference[key])
        }
    }

    /// A pseudonym's hex digits are its four words in lower-case hex.
    @Test func hexDigitsAreTheWords() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<1000 {
            let key = Pseudonym(w0: random.next(), w1: random.next(), w2: 0, w3: .max)
            #expect(key.hex == [key.w0, key.w1, key.w2, key.w3].map { String(format: "%016llx", $0) }.joined())
        }
    }
}
