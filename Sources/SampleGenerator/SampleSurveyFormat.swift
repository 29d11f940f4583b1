/// The layouts `leanpulse sample --format` writes the pulse exports in: the survey formats LeanPulse reads (the
/// pipeline file's `format:` values), so that every reader can be tried on realistic files of the same survey.
public enum SampleSurveyFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case qualtricsCSV = "qualtrics-csv"
    case csv
    case qualtricsXML = "qualtrics-xml"
    case surveyMonkeyCSV = "surveymonkey-csv"
    case googleFormsCSV = "google-forms-csv"
    case microsoftFormsCSV = "microsoft-forms-csv"
    case limeSurveyCSV = "limesurvey-csv"
    case tripleS = "triple-s"

    public var description: String { rawValue }

    /// The accepted names, for messages: `qualtrics-csv, csv, qualtrics-xml, ...`.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Qualtrics records survey previews and abandoned responses and marks them (`Status`, `Finished`), and its readers skip
    /// them. The other tools record a response only when it is submitted, so their exports leave those traps out: the same
    /// people and answers remain, and the figures are the same as from the Qualtrics exports.
    var recordsPreviewsAndUnfinished: Bool { self == .qualtricsCSV || self == .qualtricsXML }

    /// The export's file name in `exports/` for `period` (Triple-S adds its data file, `.asc`, beside the metadata).
    func exportName(_ period: String) -> String {
        switch self {
        case .qualtricsXML: "pulse-\(period).xml"
        case .tripleS: "pulse-\(period).sss"
        default: "pulse-\(period).csv"
        }
    }
}
