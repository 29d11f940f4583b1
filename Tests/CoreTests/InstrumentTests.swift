import Foundation
import LeanPulseCore
import TestSupport
import Testing

@Suite(.removesTemporaryFiles) struct InstrumentTests {
    @Test func aMisspeltKeyIsAnErrorAtItsLocation() throws {
        let dir = try temporaryFolder("lp-inst")
        let path = dir + "/i.yml"
        try """
            instrument: t
            scales:
              agree5: { min: 1, max: 5 }
            items:
              alpha: { text: "A", scale: agree5, revers: true }
            factors:
              engagement: { items: [alpha], role: engagement }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try Instrument.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "unknown key 'revers' in an item (did you mean 'reverse'?)")
            #expect(error.location?.line == 5)
            #expect(error.location?.column == 38)
        }
    }

    /// eNPS is defined on the 0-10 recommendation question: an enps factor on another scale is the instrument's error, not
    /// a blank eNPS on every page (session 14's CLI audit).
    @Test func theENPSFactorNeedsTheZeroToTenQuestion() throws {
        let dir = try temporaryFolder("lp-inst")
        let path = dir + "/i.yml"
        try """
            instrument: t
            scales:
              agree5: { min: 1, max: 5 }
            items:
              e1: { text: "A", scale: agree5 }
            factors:
              engagement: { items: [e1], role: engagement }
              nps: { items: [e1], role: enps }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try Instrument.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("the enps factor's item 'e1' is on a 1-5 scale"))
            #expect(error.location?.line == 8)
        }
    }

    @Test func keepsItemOrderAndRoles() throws {
        let dir = try temporaryFolder("lp-inst")
        let path = dir + "/i.yml"
        try """
            instrument: t
            version: "2"
            scales:
              agree5: { min: 1, max: 5, labels: { "Agree": 4 }, not_answered: ["-99"] }
              nps: { min: 0, max: 10 }
            items:
              zeta: { text: "Z", scale: agree5 }
              alpha: { text: "A", scale: agree5, reverse: true }
              enps: { text: "E", scale: nps }
            factors:
              engagement: { name: "Engagement", items: [zeta, alpha], role: engagement }
              enps: { items: [enps], role: enps }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let instrument = try Instrument.load(path: path)
        #expect(instrument.items.map(\.id) == ["zeta", "alpha", "enps"])
        #expect(instrument.items[1].reverse)
        #expect(instrument.items[0].scale.labels["agree"] == 4)
        #expect(instrument.factor(role: .engagement)?.itemIndexes == [0, 1])
        #expect(instrument.enpsItemIndex == 2)

        try "items:\n  a: { scale: missing }\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try Instrument.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.location?.line == 2)
        }
    }

    /// Answers are stored as 16-bit numbers with -32,768 meaning "not answered": a scale beyond ±32,767 is refused
    /// where it is written, not crashed on or misread at import.
    @Test func scalesStayWithinSixteenBits() throws {
        let dir = try temporaryFolder("lp-inst")
        let path = dir + "/i.yml"
        for (range, accepted) in [("{ min: -32767, max: -32700 }", true), ("{ min: 32700, max: 32767 }", true),
                                  ("{ min: -32768, max: -32700 }", false), ("{ min: 32700, max: 32768 }", false)] {
            try "scales:\n  wide: \(range)\nitems:\n  a: { text: \"A\", scale: wide }\n".write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try Instrument.load(path: path)
                #expect(accepted, "\(range) was accepted")
            } catch {
                #expect(!accepted, "\(range): \(error)")
                #expect("\(error)".contains("-32767...32767"))
            }
        }
    }

    /// Labels match ignoring case and spaces (METRICS.md 1): `agree: 2` beside `AGREE: 5` left it to the order of a
    /// dictionary which value "Agree" got (session 17's audit). Now an error at the labels; the same value twice is fine.
    @Test func labelsThatReadAlikeMustScoreAlike() throws {
        let dir = try temporaryFolder("lp-inst")
        let path = dir + "/i.yml"
        for (labels, accepted) in [("{ agree: 2, AGREE: 5 }", false), ("{ \"agree \": 4, Agree: 4 }", true), ("{ agree: 4, disagree: 2 }", true)] {
            try "scales:\n  s:\n    min: 1\n    max: 5\n    labels: \(labels)\nitems:\n  a: { text: \"A\", scale: s }\n"
                .write(toFile: path, atomically: true, encoding: .utf8)
            do {
                let instrument = try Instrument.load(path: path)
                #expect(accepted, "\(labels) was accepted")
                #expect(instrument.items[0].scale.labels["agree"] == 4)
            } catch {
                #expect(!accepted, "\(labels): \(error)")
                #expect(error.location?.line == 5)
                #expect(error.message.contains("'AGREE' (5) and 'agree' (2)") || error.message.contains("'agree' (2) and 'AGREE' (5)"))
            }
        }
    }
}
