import LeanPulseCore

/// A synthetic organisation sized like the 1M-employee case (83k units, ~745k responses x 41 items,
/// 6M ideas over two years), for timing `MetricsCalculator.compute`. Deterministic (fixed LCG).
enum SyntheticDataset {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static func make(leavesPerUnit: Int = 12) throws -> PeriodDataset {
        var rng = Generator(state: 42)
        // root -> 8 -> 8 -> 10 -> 10 -> 12: 1 + 8 + 64 + 640 + 6400 + 76800 = 83,913 units.
        let fanout = [8, 8, 10, 10, leavesPerUnit]
        var units: [OrgUnit] = [OrgUnit(id: "0", parentId: nil, name: "Org", headcount: 5)]
        var level = ["0"]
        var next = 1
        for f in fanout {
            var newLevel: [String] = []
            for parent in level {
                for _ in 0..<f {
                    let id = String(next); next += 1
                    units.append(OrgUnit(id: id, parentId: parent, name: "Unit \(id)", headcount: 3 + rng.below(4)))
                    newLevel.append(id)
                }
            }
            level = newLevel
        }
        // Leaves carry most people: about 12 each.
        let leafSet = Set(level)
        units = units.map { u in
            var u = u
            if leafSet.contains(u.id) { u.headcount = 6 + rng.below(13) }
            return u
        }
        let org = try Organization(units: units)

        let agree = Scale(id: "agree5", min: 1, max: 5)
        let nps = Scale(id: "nps", min: 0, max: 10)
        var items: [Item] = (0..<40).map { Item(id: "q\($0)", text: "", scale: agree, reverse: $0 % 7 == 3) }
        items.append(Item(id: "enps", text: "", scale: nps))
        let roles: [FactorRole?] = [.engagement, .autonomy, .accountability, .alignment, nil, nil, nil, nil]
        var factors = roles.enumerated().map { k, role in
            Factor(id: "f\(k)", name: "F\(k)", itemIndexes: Array((k * 5)..<(k * 5 + 5)), role: role)
        }
        factors.append(Factor(id: "enps", name: "eNPS", itemIndexes: [40], role: .enps))
        let instrument = Instrument(id: "synthetic", version: "1", items: items, factors: factors)

        var responses = ResponseTable(itemCount: items.count)
        responses.unit.reserveCapacity(760_000)
        responses.answers.reserveCapacity(760_000 * items.count)
        for u in 0..<org.count {
            let people = org.units[u].headcount ?? 0
            for _ in 0..<people where rng.below(1000) < 745 {
                responses.unit.append(Int32(u))
                for _ in 0..<40 {
                    responses.answers.append(rng.below(10) == 0 ? ResponseTable.missing : Int16(1 + rng.below(5)))
                }
                responses.answers.append(rng.below(12) == 0 ? ResponseTable.missing : Int16(rng.below(11)))
            }
        }

        var ideas = IdeaTable()
        let period = Period(year: 2026, quarter: 1)
        let first = period.start.ordinal - 600
        for k in 0..<6_000_000 {
            let u = Int32(rng.below(org.count))
            let s = first + Int32(rng.below(730))
            let outcome = rng.below(10)
            let decided = s + Int32(rng.below(60))
            ideas.unit.append(u)
            ideas.submitted.append(s)
            ideas.implemented.append(outcome < 6 ? decided : IdeaTable.noDay)
            ideas.rejected.append(outcome >= 6 && outcome < 8 ? decided : IdeaTable.noDay)
            ideas.submitter.append(Int32(k % 900_000))
        }
        var goals: [GoalRow] = []
        for u in 0..<org.count where rng.below(3) == 0 {
            goals.append(GoalRow(unit: Int32(u), attainment: Double(rng.below(101)) / 100))
        }
        return PeriodDataset(period: period, organization: org, instrument: instrument,
                             responses: responses, ideas: ideas, goals: goals)
    }
}
