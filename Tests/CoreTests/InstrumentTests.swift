import Foundation
import LeanPulseCore
import TestSupport
import Testing

@Suite(.removesTemporaryFiles) struct InstrumentTests {
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
}
