/// The fictional organisation "Fjordline Components": a root leadership team, four divisions,
/// departments and teams (four levels), designed so that the default sample shows every
/// confidentiality rule: units under 5 people, and parents whose remainder after subtracting their
/// shown children is 1-4 respondents.
struct SampleUnit {
    var id: String
    var parentId: String?
    var name: String
    /// Own members (not sub-units'), after scaling.
    var headcount: Int
    /// Kept at its designed size whatever `--employees` says (the confidentiality traps).
    var fixedSize: Bool
    /// Base share of members who answer a pulse; `1` means everyone answers every quarter.
    var responseRate: Double
    /// Factor levels on the 1-5 answer scale in the first generated quarter, in `SampleFactor` order.
    var level: [Double]
    /// Change of each level per quarter (so trends are visible).
    var slope: [Double]
    /// Ideas per person per quarter.
    var ideaRate: Double
    /// Typical days from submission to implementation.
    var cycleDays: Int
    /// Share of ideas implemented; about a fifth of the rest is rejected, the others stay open.
    var implementShare: Double
    /// Employee ids of the unit's own members, filled by `SampleOrganization`.
    var members: [String] = []
}

/// Factors in the order of `SampleUnit.level`.
enum SampleFactor: Int, CaseIterable {
    case engagement, autonomy, accountability, alignment, improvement
}

struct SampleOrganization {
    /// Units in file order: every parent before its children.
    var units: [SampleUnit]

    /// Designed for 240 employees; other sizes scale the units that are not `fixedSize`.
    static let designedEmployees = 240

    init(employees: Int) {
        var units = SampleOrganization.design
        let fixed = units.filter(\.fixedSize).reduce(0) { $0 + $1.headcount }
        let scalable = units.indices.filter { !units[$0].fixedSize && units[$0].headcount > 0 }
        let designed = scalable.reduce(0) { $0 + units[$1].headcount }
        let wanted = max(scalable.count, employees - fixed)
        // Largest remainder, computed in integers so that every platform rounds alike.
        var assigned = 0
        var remainders: [(index: Int, remainder: Int)] = []
        for i in scalable {
            let product = units[i].headcount * wanted
            let share = max(1, product / designed)
            units[i].headcount = share
            assigned += share
            remainders.append((i, product % designed))
        }
        remainders.sort { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
        var k = 0
        while assigned < wanted, !remainders.isEmpty {
            units[remainders[k % remainders.count].index].headcount += 1
            assigned += 1
            k += 1
        }
        var next = 1
        let width = max(5, String(employees).count)
        for i in units.indices {
            for _ in 0..<units[i].headcount {
                let digits = String(next)
                units[i].members.append("E" + String(repeating: "0", count: max(0, width - digits.count)) + digits)
                next += 1
            }
        }
        self.units = units
    }

    /// Units that have own members: the only valid values of a response's `Team`.
    var staffed: [SampleUnit] { units.filter { $0.headcount > 0 } }

    func depth(of unit: SampleUnit) -> Int {
        var depth = 0
        var parent = unit.parentId
        while let p = parent, let u = units.first(where: { $0.id == p }) {
            depth += 1
            parent = u.parentId
        }
        return depth
    }

    // The design. Levels: engagement, autonomy, accountability, alignment, improvement (1-5 scale;
    // about 3.85 is the 65% favorable strength line). Stories: ops-eu-asm is in a lean roll-out
    // (autonomy rising from command-and-control), ops-log recovers from disengaged, cs-t1 slides,
    // rnd-fw and sales-emea-nord drift (autonomy without accountability), ops-us-mach and corp-fin are
    // command-and-control, rnd-sw, sales-am and corp-it share responsibility.
    static let design: [SampleUnit] = [
        unit("hq", nil, "Fjordline Components", 6, fixed: true, rate: 1.0,
             [4.2, 4.0, 4.1, 4.3, 3.9], [0, 0, 0, 0, 0], ideas: 0.8, cycle: 20, implement: 0.6),
        unit("ops", "hq", "Operations", 0),
        unit("ops-eu", "ops", "Zürich Ops", 6, rate: 0.78,
             [3.8, 3.6, 3.9, 3.9, 3.6], [0.02, 0.04, 0, 0.02, 0.03], ideas: 1.2, cycle: 16, implement: 0.6),
        unit("ops-eu-asm", "ops-eu", "Assembly Line A", 22, rate: 0.74,
             [3.6, 3.1, 4.1, 3.8, 3.4], [0.06, 0.18, 0, 0.05, 0.12], ideas: 2.2, cycle: 11, implement: 0.72),
        unit("ops-eu-pack", "ops-eu", "Packing & Shipping", 14, rate: 0.82,
             [3.9, 3.9, 3.9, 3.7, 3.8], [0.02, 0.02, 0.02, 0.02, 0.02], ideas: 1.6, cycle: 14, implement: 0.65),
        unit("ops-eu-qa", "ops-eu", "Quality <QA>", 4, fixed: true, rate: 0.85,
             [3.7, 3.5, 4.0, 3.9, 3.6], [0, 0, 0, 0, 0], ideas: 1.5, cycle: 18, implement: 0.6),
        unit("ops-us", "ops", "Operations, Americas", 0),
        unit("ops-us-mach", "ops-us", "Machining", 20, rate: 0.70,
             [3.4, 2.9, 4.0, 3.5, 3.2], [-0.03, 0, 0.02, 0, 0], ideas: 1.1, cycle: 30, implement: 0.5),
        unit("ops-us-maint", "ops-us", "Maintenance", 10, rate: 0.68,
             [3.1, 3.2, 3.2, 3.1, 2.9], [-0.05, -0.03, -0.03, -0.02, -0.04], ideas: 0.9, cycle: 35, implement: 0.45),
        unit("ops-log", "ops", "Logistics", 20, rate: 0.72,
             [2.9, 3.0, 3.1, 3.0, 2.8], [0.25, 0.25, 0.25, 0.2, 0.25], ideas: 1.3, cycle: 28, implement: 0.55),
        unit("rnd", "hq", "R&D <Core>", 0),
        unit("rnd-fw", "rnd", "Firmware", 12, rate: 0.86,
             [3.9, 4.3, 3.2, 3.4, 3.8], [0, 0, -0.02, 0, 0], ideas: 1.4, cycle: 25, implement: 0.5),
        unit("rnd-sw", "rnd", "Software Platform", 18, rate: 0.90,
             [4.2, 4.4, 4.1, 4.0, 4.2], [-0.04, -0.02, -0.03, -0.02, -0.03], ideas: 1.9, cycle: 12, implement: 0.7),
        unit("rnd-lab", "rnd", "Test Lab", 9, rate: 0.80,
             [3.7, 3.6, 3.8, 3.6, 3.5], [0.02, 0.02, 0.02, 0.02, 0.02], ideas: 1.5, cycle: 20, implement: 0.6),
        unit("sales", "hq", "Sales & Service", 0),
        unit("sales-emea", "sales", "Sales, EMEA", 2, fixed: true, rate: 1.0,
             [4.0, 4.0, 4.0, 4.0, 3.8], [0, 0, 0, 0, 0], ideas: 1.0, cycle: 20, implement: 0.6),
        unit("sales-emea-dach", "sales-emea", "Vertrieb DACH", 9, rate: 0.83,
             [3.8, 3.9, 3.8, 3.7, 3.5], [0.01, 0.01, 0.01, 0.01, 0.01], ideas: 1.2, cycle: 22, implement: 0.55),
        unit("sales-emea-nord", "sales-emea", "Nordics & Baltics", 11, rate: 0.80,
             [4.1, 4.4, 3.3, 3.5, 3.9], [0, 0, -0.03, 0, 0], ideas: 1.3, cycle: 24, implement: 0.5),
        unit("sales-am", "sales", "Sales, Americas", 12, rate: 0.76,
             [4.1, 4.0, 4.1, 4.2, 3.8], [0.01, 0.01, 0.01, 0.01, 0.01], ideas: 1.2, cycle: 18, implement: 0.62),
        unit("cs", "sales", "Customer \"Success\"", 0),
        unit("cs-t1", "cs", "Support Tier 1", 22, rate: 0.79,
             [4.0, 3.6, 4.0, 3.9, 3.8], [-0.15, -0.12, -0.05, -0.1, -0.12], ideas: 1.7, cycle: 15, implement: 0.6),
        unit("cs-t2", "cs", "Field Service", 10, rate: 0.75,
             [3.8, 3.9, 3.9, 3.6, 3.7], [0, 0, 0, 0, 0], ideas: 1.4, cycle: 19, implement: 0.6),
        unit("corp", "hq", "Finance, HR & IT", 0),
        unit("corp-fin", "corp", "Finance", 13, rate: 0.88,
             [3.7, 3.2, 4.2, 4.0, 3.3], [0, 0.01, 0, 0, 0], ideas: 0.9, cycle: 26, implement: 0.55),
        unit("corp-hr", "corp", "People & Culture", 7, rate: 0.92,
             [4.1, 3.9, 3.8, 4.1, 4.0], [0, 0, 0, 0, 0], ideas: 1.3, cycle: 17, implement: 0.65),
        unit("corp-it", "corp", "IT Services", 10, rate: 0.84,
             [3.9, 4.0, 3.9, 3.8, 4.0], [0.05, 0.05, 0.05, 0.05, 0.05], ideas: 1.8, cycle: 13, implement: 0.68),
        unit("corp-leg", "corp", "Legal", 3, fixed: true, rate: 0.90,
             [3.8, 3.6, 4.0, 3.9, 3.4], [0, 0, 0, 0, 0], ideas: 0.7, cycle: 30, implement: 0.5),
    ]

    private static func unit(_ id: String, _ parent: String?, _ name: String, _ headcount: Int,
                             fixed: Bool = false, rate: Double = 0, _ level: [Double] = [3, 3, 3, 3, 3],
                             _ slope: [Double] = [0, 0, 0, 0, 0], ideas: Double = 0, cycle: Int = 20,
                             implement: Double = 0.6) -> SampleUnit {
        SampleUnit(id: id, parentId: parent, name: name, headcount: headcount, fixedSize: fixed,
                   responseRate: rate, level: level, slope: slope, ideaRate: ideas, cycleDays: cycle,
                   implementShare: implement)
    }
}
