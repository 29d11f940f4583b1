import LeanPulseCore
import Testing

struct NumberedUnitsTests {
    static func index(_ units: NumberedUnits, _ text: String) -> Int? {
        Array(text.utf8).withUnsafeBufferPointer { units.index($0) }
    }

    /// Only a unit's id written as a plain number finds it: `042`, `42 `, `+42` and names do not.
    @Test func findsUnitsByTheirNumberOnly() throws {
        var list = [OrgUnit(id: "1", parentId: nil, name: "Root", headcount: nil),
                    OrgUnit(id: "42", parentId: "1", name: "7", headcount: 5),
                    OrgUnit(id: "042", parentId: "1", name: "Leading zero", headcount: 5),
                    OrgUnit(id: "ops", parentId: "1", name: "Ops", headcount: 5),
                    OrgUnit(id: "0", parentId: "1", name: "Zero", headcount: 5)]
        let org = try Organization(units: list)
        let units = NumberedUnits(org)
        for id in ["1", "42", "0"] { #expect(Self.index(units, id) == org.index(of: id), "\(id)") }
        #expect(org.index(of: "42") != nil)
        for text in ["042", "42 ", "+42", "7", "ops", "", "43", "4a", "1234567890"] {
            #expect(Self.index(units, text) == nil, "\(text)")
        }
        // One id far beyond the others: no array (the caller's table takes every id).
        list.append(OrgUnit(id: "123456789", parentId: "1", name: "Nine digits", headcount: 5))
        let sparse = NumberedUnits(try Organization(units: list))
        #expect(Self.index(sparse, "42") == nil && Self.index(sparse, "123456789") == nil)
    }

    @Test func canonicalNumbers() {
        func number(_ text: String) -> Int? { Array(text.utf8).withUnsafeBufferPointer { NumberedUnits.canonicalNumber($0) } }
        #expect(number("0") == 0 && number("7") == 7 && number("999999999") == 999_999_999)
        #expect(number("00") == nil && number("07") == nil && number("1000000000") == nil && number("-1") == nil && number("") == nil)
    }
}
