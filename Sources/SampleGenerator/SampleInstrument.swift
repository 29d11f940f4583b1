/// The questions of `Pipelines/instruments/lean-leadership.yml`, in export column order (Q1...Q19;
/// Q20 is eNPS, Q21 the comment). The two must be kept in step: the pipeline maps Qn to these ids.
struct SampleItem {
    var id: String
    var text: String
    var factor: SampleFactor
    var reverse: Bool = false
    /// How much easier (+) or harder (-) the item is to agree with than its factor's level.
    var offset: Double = 0
}

enum SampleInstrument {
    /// Id and version of `Pipelines/instruments/lean-leadership.yml`.
    static let id = "lean-leadership"
    static let version = "2026.1"

    /// The factors of that file in its order: id, display name and headline role (`SampleFactor` order, then eNPS).
    static let factors: [(id: String, name: String, role: String?, factor: SampleFactor?)] = [
        ("engagement", "Engagement", "engagement", .engagement),
        ("autonomy", "Autonomy", "autonomy", .autonomy),
        ("accountability", "Accountability", "accountability", .accountability),
        ("alignment", "Goal alignment", "alignment", .alignment),
        ("improvement", "Continuous improvement", nil, .improvement),
        ("enps", "eNPS", "enps", nil),
    ]
    /// The eNPS item's id.
    static let enpsId = "enps"
    /// Answers that count as not answered (the agree5 scale's `not_answered`); `-99` is Qualtrics' "seen but unanswered".
    static let notAnswered = ["-99", "Don't know"]

    static let items: [SampleItem] = [
        SampleItem(id: "eng1", text: "I look forward to coming to work on most days.", factor: .engagement, offset: -0.1),
        SampleItem(id: "eng2", text: "My work gives me a feeling of personal accomplishment.", factor: .engagement, offset: 0.15),
        SampleItem(id: "eng3", text: "I am willing to put in extra effort when my team needs it.", factor: .engagement, offset: 0.3),
        SampleItem(id: "eng4", text: "I see myself still working here two years from now.", factor: .engagement, offset: -0.25),
        SampleItem(id: "auto1", text: "My team decides how to organise its own work.", factor: .autonomy, offset: 0.1),
        SampleItem(id: "auto2", text: "Decisions about how we do our daily work are made over our heads.", factor: .autonomy, reverse: true, offset: -0.15),
        SampleItem(id: "auto3", text: "When I see a better way of working, I can try it without waiting for approval.", factor: .autonomy, offset: -0.1),
        SampleItem(id: "auto4", text: "My manager trusts my team to solve problems on its own.", factor: .autonomy, offset: 0.15),
        SampleItem(id: "acc1", text: "My team tracks its own results and reviews them regularly.", factor: .accountability, offset: 0.1),
        SampleItem(id: "acc2", text: "When my team commits to something, we follow through.", factor: .accountability, offset: 0.2),
        SampleItem(id: "acc3", text: "When we miss a target, my team owns it and acts on the causes.", factor: .accountability, offset: -0.2),
        SampleItem(id: "acc4", text: "It is clear who is responsible for each of my team's goals.", factor: .accountability, offset: -0.05),
        SampleItem(id: "aln1", text: "I understand how my work contributes to the goals of the organisation.", factor: .alignment, offset: 0.25),
        SampleItem(id: "aln2", text: "My team's goals are clearly linked to the goals of the level above us.", factor: .alignment, offset: -0.05),
        SampleItem(id: "aln3", text: "I know which of my team's goals matter most this quarter.", factor: .alignment, offset: 0.05),
        SampleItem(id: "aln4", text: "Leaders explain the reasons behind changes in direction.", factor: .alignment, offset: -0.3),
        SampleItem(id: "imp1", text: "I am encouraged to come up with new and better ways of doing things.", factor: .improvement, offset: 0.1),
        SampleItem(id: "imp2", text: "Improvement ideas from my team are acted on quickly.", factor: .improvement, offset: -0.25),
        SampleItem(id: "imp3", text: "We take the time to fix the root causes of recurring problems.", factor: .improvement, offset: -0.1),
    ]

    static let enpsText = "How likely is it that you would recommend this organisation as a place to work?"
    static let commentText = "Is there anything else you would like to tell us about how your team works? (optional)"

    /// Choice texts of the agree5 scale, index 0 = value 1.
    static let agreeLabels = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]

    /// The agree5 code (1...5) of a choice text, nil for anything else (`-99`, `Don't know`, an unknown text).
    static func agreeCode(_ text: String) -> String? {
        agreeLabels.firstIndex(of: text).map { String($0 + 1) }
    }

    /// The eNPS value (0...10) of its choice text, nil for `-99` or anything else.
    static func enpsCode(_ text: String) -> String? {
        (0...10).first { enpsLabel($0) == text }.map(String.init)
    }

    /// The eNPS choice text for 0...10: the ends carry their anchor text, the middle is the digit.
    static func enpsLabel(_ value: Int) -> String {
        switch value {
        case 0: "0 - Not at all likely"
        case 10: "10 - Extremely likely"
        default: String(value)
        }
    }
}
