import LeanPulseCore
import Testing

struct DayTests {
    @Test func roundTripsCivilDates() throws {
        for (y, m, d, ordinal) in [(1970, 1, 1, 0), (2000, 2, 29, 11016), (2026, 11, 25, 20782), (1969, 12, 31, -1)] {
            let day = Day(year: y, month: m, day: d)
            #expect(day?.ordinal == Int32(ordinal))
            let civil = try #require(day).civil
            #expect(civil == (y, m, d))
        }
    }

    @Test func rejectsImpossibleDates() {
        #expect(Day(year: 2026, month: 2, day: 29) == nil)
        #expect(Day(year: 2026, month: 13, day: 1) == nil)
        #expect(Day(iso: "2026-04-31") == nil)
        #expect(Day(iso: "2026-4-3") == nil)
        #expect(Day(iso: "2024-02-29")?.description == "2024-02-29")
    }

    @Test func isoWeeks() {
        // 2026-01-01 is a Thursday: ISO week 1 of 2026. 2027-01-01 is a Friday: week 53 of 2026.
        #expect(Day(year: 2026, month: 1, day: 1)!.isoWeek == (2026, 1))
        #expect(Day(year: 2026, month: 1, day: 1)!.isoWeekday == 4)
        #expect(Day(year: 2027, month: 1, day: 1)!.isoWeek == (2026, 53))
        #expect(Day(year: 2025, month: 12, day: 29)!.isoWeek == (2026, 1))
    }
}

struct PeriodTests {
    @Test func parsesAndResolves() {
        let today = Day(year: 2026, month: 11, day: 25)!
        #expect(Period.resolve("previous-quarter", today: today)?.description == "2026-Q3")
        #expect(Period.resolve("current-quarter", today: today)?.description == "2026-Q4")
        #expect(Period.resolve("2026-q1", today: today)?.description == "2026-Q1")
        #expect(Period.resolve("2026-Q5", today: today) == nil)
        #expect(Period.resolve("previous-quarter", today: Day(year: 2026, month: 2, day: 1)!)?.description == "2025-Q4")
    }

    @Test func boundsAreInclusive() {
        let q3 = Period("2026-Q3")!
        #expect(q3.start.description == "2026-07-01")
        #expect(q3.end.description == "2026-09-30")
        #expect(q3.days == 92)
        #expect(Period("2024-Q1")!.days == 91)
        #expect(q3.contains(Day(iso: "2026-09-30")!))
        #expect(!q3.contains(Day(iso: "2026-10-01")!))
    }
}

struct OrganizationTests {
    @Test func ordersIdsNumericallyThenTextually() {
        #expect(Organization.idLess("2", "10"))
        #expect(!Organization.idLess("10", "2"))
        #expect(Organization.idLess("10", "ops"))
        #expect(Organization.idLess("ops-a", "ops-b"))
    }

    @Test func buildsTreeAndRejectsCycles() throws {
        let org = try Organization(units: [
            OrgUnit(id: "10", parentId: "1", name: "B", headcount: 3),
            OrgUnit(id: "1", parentId: nil, name: "Root", headcount: 1),
            OrgUnit(id: "2", parentId: "1", name: "A", headcount: 4),
        ])
        #expect(org.units.map(\.id) == ["1", "2", "10"])
        #expect(org.children[0] == [1, 2])
        #expect(org.bottomUpOrder.last == 0)
        #expect(org.resolve(" a ") == 1)
        #expect(throws: Diagnostic.self) {
            try Organization(units: [OrgUnit(id: "a", parentId: "b", name: "", headcount: nil),
                                     OrgUnit(id: "b", parentId: "a", name: "", headcount: nil)])
        }
        #expect(throws: Diagnostic.self) {
            try Organization(units: [OrgUnit(id: "a", parentId: "zz", name: "", headcount: nil)])
        }
    }
}

struct ScaleTests {
    @Test func favorableSetsByLength() {
        #expect(Scale.defaultSets(min: 1, max: 5).favorable == [4, 5])
        #expect(Scale.defaultSets(min: 1, max: 5).unfavorable == [1, 2])
        #expect(Scale.defaultSets(min: 1, max: 7).favorable == [6, 7])
        #expect(Scale.defaultSets(min: 1, max: 7).unfavorable == [1, 2, 3])
        #expect(Scale.defaultSets(min: 0, max: 10).favorable == [9, 10])
        #expect(Scale.defaultSets(min: 0, max: 10).unfavorable == Set(0...6))
        #expect(Scale.defaultSets(min: 1, max: 4).favorable == [3, 4])
        #expect(Scale.defaultSets(min: 1, max: 6).favorable == [5, 6])
    }

    @Test func labelsMatchIgnoringCaseAndSpaces() {
        let scale = Scale(id: "s", min: 1, max: 5, labels: ["Strongly agree": 5], notAnswered: ["Don't know"])
        #expect(scale.labels[Scale.key("  STRONGLY AGREE\u{00A0}")] == 5)
        #expect(scale.notAnswered.contains(Scale.key("don't KNOW ")))
        // White space inside: a non-breaking space between the words (Excel, web forms), two spaces, a tab.
        for text in ["Strongly\u{00A0}agree", "strongly  agree", "Strongly\tAgree", "\u{00A0}strongly\u{202F}agree "] {
            #expect(scale.labels[Scale.key(text)] == 5, "\(text.debugDescription)")
        }
        #expect(Scale.key("agree") == "agree" && Scale.key("Dis agree") == "dis agree")
    }

    /// ISO text against the civil date padded independently: every day of 1800-2200, and the first and last day
    /// of every year 1-9999; years past 9999 keep all their digits.
    @Test func isoText() throws {
        func pad(_ v: Int, _ width: Int) -> String {
            let digits = String(v)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        func check(_ day: Day) -> Bool {
            let (y, m, d) = day.civil
            let expected = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
            if day.description == expected { return true }
            Issue.record("\(day.ordinal): \(day.description) != \(expected)")
            return false
        }
        let from = try #require(Day(year: 1800, month: 1, day: 1)).ordinal, to = try #require(Day(year: 2200, month: 12, day: 31)).ordinal
        for ordinal in from ... to where !check(Day(ordinal: ordinal)) { return }
        for year in 1 ... 9999 {
            guard check(try #require(Day(year: year, month: 1, day: 1))), check(try #require(Day(year: year, month: 12, day: 31))) else { return }
        }
        let afterLast = try #require(Day(year: 9999, month: 12, day: 31)).ordinal + 1
        #expect(Day(ordinal: afterLast).description == "10000-01-01")
    }
}
