import LeanPulseCore

extension SampleGenerator {
    /// Improvement ideas before the first quarter starts, so that the first quarter has work in progress.
    static let ideaLeadDays = 30
    /// The log is exported this many days after the last quarter: later decisions are not known yet.
    static let ideaExportLagDays = 20

    /// Idea titles by the first part of the team id.
    static let ideaTitles: [(prefix: String, titles: [String])] = [
        ("ops", [
            "Shadow board for torque wrenches at station #", "Halve changeover time on press #",
            "Kanban cards for fastener bins on line #", "Move the scrap bin closer to station #",
            "Floor markings for forklift lanes in hall #", "Standard work sheet for final inspection",
            "Poka-yoke fixture for bracket #", "Update the 5S audit checklist",
            "Shorter walk between stores and line #", "Point-of-use racks for packaging material",
            "Andon light for station #", "Pre-kitting for the night shift",
        ]),
        ("rnd", [
            "Automate the nightly regression report", "Shared checklist for design reviews",
            "One template for test plans", "Cut the build time of firmware image #",
            "Reuse test fixtures across projects", "One backlog for lab requests",
            "Visual board for blocked work items", "Calibrate bench # on a fixed schedule",
        ]),
        ("sales", [
            "Macro for the top # customer questions", "Shorter quote approval path",
            "Call-back slots instead of a phone queue", "Knowledge base article for error E#",
            "Weekly review of lost deals", "Plan field visits by postcode",
            "Spare parts kit # in every service van", "Single checklist for customer handover",
        ]),
        ("cs", [
            "Macro for the top # support questions", "Knowledge base article for error E#",
            "Call-back slots instead of a phone queue", "Spare parts kit # in every service van",
            "Tiered escalation board", "Daily huddle on the oldest # tickets",
        ]),
        ("", [
            "Single form for travel requests", "Monthly close checklist in the shared drive",
            "Self-service password reset", "Onboarding plan for new starters",
            "Fewer approval steps for purchases under # hundred", "Standard agenda for team meetings",
            "Visual tracker for open audit findings", "Merge the # weekly status reports",
        ]),
    ]

    /// Titles that test escaping: `&`, `<`, `>`, quotes, non-ASCII; the last is written as CDATA.
    static let specialIdeaTitles = [
        "Bins for M8 & M10 bolts next to station 4",
        "Flag orders with lead time < 3 days",
        "Rüstzeit halbieren an Linie 3 – Zürich",
        "Label shelves \"A\" to \"F\" > faster picking",
        "Merge \"quick wins\" & <kaizen> boards into one",
    ]

    struct SampleIdea {
        var team: String
        var submitted: Day
        var implemented: Day?
        var rejected: Day?
        var status: String
        var submitter: String
        var title: String
    }

    /// `ideas/ideas.xml`.
    static func ideasXML(organization org: SampleOrganization, options: SampleOptions) -> String {
        var rng = SampleRandom(seed: options.seed, stream: "ideas")
        let periods = options.periods
        let exported = options.lastQuarter.end + ideaExportLagDays
        var ideas: [SampleIdea] = []

        // Spans: the lead-in days before the first quarter, then each quarter.
        var spans: [(first: Day, last: Day, quartersBeforeLast: Int)] = []
        spans.append((periods[0].start + -ideaLeadDays, periods[0].start + -1, options.quarters))
        for (i, period) in periods.enumerated() {
            spans.append((period.start, period.end, options.quarters - 1 - i))
        }

        for unit in org.staffed {
            let titles = ideaTitles.first { !$0.prefix.isEmpty && unit.id.hasPrefix($0.prefix) }?.titles
                ?? ideaTitles[ideaTitles.count - 1].titles
            let improvement = SampleFactor.improvement.rawValue
            for span in spans {
                let days = span.last - span.first + 1
                // Teams whose improvement climate rises submit more and decide faster.
                let change = -unit.slope[improvement] * Double(span.quartersBeforeLast - 3)
                let perPerson = unit.ideaRate * max(0.3, 1 + 0.6 * change) * Double(days) / 91
                let cycle = max(3, Double(unit.cycleDays) * max(0.4, 1 - 0.4 * change))
                for employee in unit.members {
                    for _ in 0..<4 where rng.chance(perPerson / 4) {
                        let submitted = span.first + rng.int(0...(days - 1))
                        let u = rng.uniform()
                        let skew = 0.1 + 3.2 * rng.uniform() * rng.uniform()
                        var idea = SampleIdea(team: unit.id, submitted: submitted, implemented: nil, rejected: nil,
                                              status: "open", submitter: rng.chance(0.03) ? "" : employee,
                                              title: rng.pick(titles).replacingOccurrences("#", String(rng.int(1...12))))
                        if u < unit.implementShare {
                            let decided = submitted + 1 + Int(cycle * skew)
                            if decided <= exported { idea.implemented = decided; idea.status = "implemented" }
                        } else if u < unit.implementShare + 0.2 {
                            let decided = submitted + 1 + Int(cycle * 0.5 * skew)
                            if decided <= exported { idea.rejected = decided; idea.status = "rejected" }
                        } else if rng.chance(0.7) {
                            // Slow ideas: decided after one to five months; the others go stale.
                            let decided = submitted + rng.int(30...150)
                            if decided <= exported {
                                if rng.chance(0.5) {
                                    idea.implemented = decided; idea.status = "implemented"
                                } else {
                                    idea.rejected = decided; idea.status = "rejected"
                                }
                            }
                        }
                        if idea.status == "open", exported - submitted >= 5, rng.chance(0.6) {
                            idea.status = "in-progress"
                        }
                        ideas.append(idea)
                    }
                }
            }
        }

        ideas.sort { ($0.submitted, $0.team, $0.submitter, $0.title) < ($1.submitted, $1.team, $1.submitter, $1.title) }
        for (k, title) in specialIdeaTitles.enumerated() where !ideas.isEmpty {
            ideas[(k + 1) * ideas.count / (specialIdeaTitles.count + 1)].title = title
        }
        let cdataTitle = specialIdeaTitles[specialIdeaTitles.count - 1]

        let width = max(4, String(ideas.count).count)
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<!-- Fictional improvement ideas log generated by `leanpulse sample` (seed \(options.seed)). "
        text += "Dates are calendar days; status is as of the export date. -->\n"
        text += "<ideas exported=\"\(exported)\">\n"
        for (k, idea) in ideas.enumerated() {
            text += "  <idea id=\"I\(SampleText.pad(k + 1, width))\">\n"
            text += "    <team>\(SampleText.xml(idea.team))</team>\n"
            text += "    <submitted>\(idea.submitted)</submitted>\n"
            text += idea.implemented.map { "    <implemented>\($0)</implemented>\n" } ?? "    <implemented/>\n"
            text += idea.rejected.map { "    <rejected>\($0)</rejected>\n" } ?? "    <rejected/>\n"
            text += "    <status>\(idea.status)</status>\n"
            text += idea.submitter.isEmpty ? "    <submitter/>\n" : "    <submitter>\(idea.submitter)</submitter>\n"
            if idea.title == cdataTitle {
                text += "    <title><![CDATA[\(idea.title)]]></title>\n"
            } else {
                text += "    <title>\(SampleText.xml(idea.title))</title>\n"
            }
            text += "  </idea>\n"
        }
        text += "</ideas>\n"
        return text
    }
}

extension String {
    /// Plain substring replacement without Foundation.
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
