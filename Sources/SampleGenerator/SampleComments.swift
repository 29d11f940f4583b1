/// Free-text answers for Q21. Fictional, with no names or other personal data; some are traps for
/// the CSV reader and the renderer (commas, quotes, line breaks, markup, formula prefixes, non-ASCII).
enum SampleComments {
    static let positive = [
        "Shift handover works well now & everyone knows the targets.",
        "Good coaching from our team lead this quarter.",
        "We finally have the authority to stop the line when quality is at risk.",
        "Café corner finally fixed — small thing, big difference.",
        "Die Rüstzeiten sind viel besser geworden. Danke!",
        "The daily board meeting is short, focused and actually useful.",
        "We own our numbers now, that's new.\r\nStill learning, but it feels good.",
        "Great team, tough quarter.",
        "Emoji test 👍 — the new schedule is better.",
        "Problem-solving training (A3) was worth every minute.",
        "Our ideas get tested within a week. Keep it that way!",
    ]

    static let negative = [
        "More time for improvement work, please.",
        "The new visual board helps, but we still lose time, every morning, looking for tools.",
        "Our manager says \"you decide\" and then changes the plan anyway.",
        "Ideas go into the box and we never hear back.",
        "Goals for the quarter were clear; the reasons behind them, less so.",
        "Too many KPIs < too few actions.",
        "Why are kaizen results only shared in the monthly meeting?",
        "Les objectifs de l'équipe ne sont pas alignés avec ceux du site.",
        "Tools & parts shortage again; we can't follow through on commitments if material isn't there.",
        "5S is treated as cleaning, not as improvement.",
        "Decisions are made in meetings we are not invited to.",
        "Support tickets keep growing,\nand the team is tired.",
        "\"Quick wins\" are celebrated, long fixes are not.",
        "Spec changes arrive late & we get blamed for the delay.",
        "Too many surveys.",
    ]

    /// Placed at least once in every quarter's export.
    static let traps = [
        "<script>alert('pulse')</script> just checking whether this survey tool is safe",
        "+1 for the daily stand-up at the board",
        "=HYPERLINK(\"http://example.invalid\",\"more ideas here\")",
        "Line 3 needs a second changeover cart.\nIt would save about 20 minutes a shift, \"at least\".",
        "Zusammenarbeit mit Zürich & Göteborg: gut. Übergaben: <schlecht>.",
        "  Leading and trailing spaces, a tab\tand a trailing comma,",
    ]
}
