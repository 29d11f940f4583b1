import LeanPulseCore

extension SampleGenerator {
    /// Targets of the goals that have a target and an actual (all "higher is better").
    static let goalTargets = [100, 95, 98, 40, 12, 250, 60, 1500]

    /// `goals/goals.csv`: a few goals per unit (root excepted) per quarter; attainment follows engagement.
    static func goalsCSV(organization org: SampleOrganization, options: SampleOptions) -> String {
        var rng = SampleRandom(seed: options.seed, stream: "goals")
        var text = SampleText.csvRow(["goal_id", "team_id", "period", "target", "actual", "score"], lineEnd: "\n")
        var number = 0
        let engagement = SampleFactor.engagement.rawValue
        for (i, period) in options.periods.enumerated() {
            let quartersBeforeLast = Double(options.quarters - 1 - i)
            for unit in org.units where unit.parentId != nil {
                // Units without own members take the mean level of their staffed descendants' design.
                let level: Double
                if unit.headcount > 0 {
                    level = unit.level[engagement] + unit.slope[engagement] * (3 - quartersBeforeLast)
                } else {
                    let below = org.units.filter { $0.headcount > 0 && $0.id.hasPrefix(unit.id + "-") }
                    level = below.isEmpty ? 3.8 : below.reduce(0) { $0 + $1.level[engagement] } / Double(below.count)
                }
                for _ in 0..<rng.int(2...3) {
                    number += 1
                    let attainment = 0.74 + 0.2 * (min(4.6, max(1.8, level)) - 3.6) + 0.1 * rng.normal()
                    var row = ["G" + SampleText.pad(number, 4), unit.id, period.description]
                    if rng.chance(0.65) {
                        let target = rng.pick(goalTargets)
                        let actualTenths = max(0, Int((Double(target * 10) * attainment).rounded()))
                        row += [String(target), SampleText.decimal(actualTenths, places: 1), ""]
                    } else {
                        let hundredths = min(100, max(0, Int((attainment * 100).rounded())))
                        row += ["", "", SampleText.decimal(hundredths, places: 2)]
                    }
                    text += SampleText.csvRow(row, lineEnd: "\n")
                }
            }
        }
        return text
    }
}
