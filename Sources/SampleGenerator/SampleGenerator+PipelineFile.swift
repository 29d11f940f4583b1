import LeanPulseCore

/// `pipeline.yml` and `instrument.yml` beside a sample in another layout than Qualtrics CSV, so that
/// `leanpulse run DIR/pipeline.yml` reads what was generated. Modelled on `Pipelines/quarterly.yml`; every path is relative
/// to DIR (a pipeline file's paths resolve against its own folder), reports and store stay inside DIR.
extension SampleGenerator {
    /// How the pulse source of `format` names its columns for `fields:` and `items:`, and what else it needs.
    struct SurveySourceMapping {
        /// One line saying what the export looks like (a comment in the pipeline file).
        var layout: String
        var fields: [(role: String, column: String)]
        /// Export column of each instrument item, in instrument order (Q1...Q19).
        var itemColumns: [String]
        var extra: [(key: String, value: String, comment: String)] = []
    }

    static func surveyMapping(_ format: SampleSurveyFormat) -> SurveySourceMapping {
        let items = SampleInstrument.items
        let numbered = items.indices.map { "Q\($0 + 1)" }
        let enpsQ = "Q\(items.count + 1)", commentQ = "Q\(items.count + 2)"
        switch format {
        case .qualtricsCSV:
            return SurveySourceMapping(layout: "Qualtrics CSV: 3 header rows, choice text answers",
                                       fields: [("respondent", "ExternalReference"), ("team", "Team"), ("submitted", "RecordedDate"),
                                                ("enps", enpsQ), ("comment", commentQ)],
                                       itemColumns: numbered)
        case .csv:
            return SurveySourceMapping(layout: "plain CSV: one header row, answers as codes (1-5, eNPS 0-10, -99 missing)",
                                       fields: [("respondent", "employee_id"), ("team", "team_id"), ("submitted", "submitted_at"),
                                                ("enps", enpsQ), ("comment", commentQ)],
                                       itemColumns: numbered)
        case .qualtricsXML:
            let questions = qualtricsXMLQuestions
            return SurveySourceMapping(layout: "Qualtrics XML: one element per field in each <Response>; previews and unfinished responses skipped",
                                       fields: [("respondent", "externalDataReference"), ("team", "Team"),
                                                ("submitted", "recordedDate"), ("enps", questions[items.count]),
                                                ("comment", questions[items.count + 1])],
                                       itemColumns: Array(questions.prefix(items.count)))
        case .surveyMonkeyCSV:
            // A matrix column is named `question | row` (SurveyMonkeyCSV.separator).
            return SurveySourceMapping(layout: "SurveyMonkey CSV: 2 header rows; the statements are the rows of one matrix question",
                                       fields: [("respondent", "Custom Data 1"), ("team", "team"), ("submitted", "End Date"),
                                                ("enps", SampleInstrument.enpsText), ("comment", SampleInstrument.commentText)],
                                       itemColumns: items.map { surveyMonkeyMatrix + " | " + $0.text })
        case .googleFormsCSV:
            return SurveySourceMapping(layout: "Google Forms CSV: Timestamp, then one column per question, named by its text",
                                       fields: [("respondent", "Employee ID"), ("team", "Team"), ("submitted", "Timestamp"),
                                                ("enps", SampleInstrument.enpsText), ("comment", SampleInstrument.commentText)],
                                       itemColumns: items.map(\.text))
        case .microsoftFormsCSV:
            // The eNPS header cell spans lines; `fields:` names it by the same text on one line.
            let enps = microsoftEnpsHeader.split(whereSeparator: { $0 == "\n" }).joined(separator: " ")
            return SurveySourceMapping(layout: "Microsoft Forms CSV: one column per question, named by its text",
                                       fields: [("respondent", "Employee ID"), ("team", "Team"), ("submitted", "Completion time"),
                                                ("enps", enps), ("comment", SampleInstrument.commentText)],
                                       itemColumns: items.map(\.text))
        case .limeSurveyCSV:
            let questions = limeQuestions
            return SurveySourceMapping(layout: "LimeSurvey CSV: code headings, answer codes, ';' and every field quoted",
                                       fields: [("respondent", "EMPID"), ("team", "TEAM"), ("submitted", "submitdate"),
                                                ("enps", questions[items.count]), ("comment", questions[items.count + 1])],
                                       itemColumns: Array(questions.prefix(items.count)))
        case .tripleS:
            return SurveySourceMapping(layout: "Triple-S: XML metadata (.sss) with fixed-width data (.asc) beside it, answer codes",
                                       fields: [("respondent", "EMPID"), ("team", "TEAM"), ("submitted", "SUBMITTED"),
                                                ("enps", enpsQ), ("comment", commentQ)],
                                       itemColumns: numbered,
                                       extra: [("date_format", "yyyyMMdd", "Triple-S date variables are YYYYMMDD")])
        }
    }

    /// The pipeline file for the sample in `options.format`.
    static func pipelineYAML(options: SampleOptions) -> String {
        let format = options.format
        let mapping = surveyMapping(format)
        let y = SampleText.yaml
        var text = """
        # LeanPulse pipeline for the sample written by `leanpulse sample --format \(format)` (seed \(options.seed)).
        #   LEANPULSE_KEY=... leanpulse run pipeline.yml    # builds Reports/<period>/ beside this file
        # Relative paths resolve against THIS file's folder. The people are fictional; set LEANPULSE_KEY to any
        # secret (the HMAC key that pseudonymizes employee ids) and keep it the same from run to run.

        pipeline: fjordline-lean-pulse
        title: "Fjordline Components: lean leadership pulse"
        period: \(options.lastQuarter)                         # the last generated quarter; --period picks another
        timezone: UTC
        store: leanpulse.sqlite

        organization:
          teams: org/teams.csv                    # team_id,parent_id,name,headcount (own members)

        instrument: instrument.yml

        sources:
          # The pulse survey, one export per quarter: \(mapping.layout).
          - id: pulse
            kind: survey
            format: \(format)
            path: exports/\(format.exportName("*"))
            fields:                               # canonical role: export column

        """
        for (role, column) in mapping.fields { text += "      \(role): \(y(column))\n" }
        for (key, value, comment) in mapping.extra { text += "    \(key): \(y(value))   # \(comment)\n" }
        text += "    items:                                # export column: instrument item id\n"
        for (column, item) in zip(mapping.itemColumns, SampleInstrument.items) { text += "      \(y(column)): \(item.id)\n" }
        text += """

          - id: ideas
            kind: ideas
            format: xml
            path: ideas/ideas.xml
            record: /ideas/idea
            fields: { id: "@id", team: team, submitted: submitted, implemented: implemented, rejected: rejected, status: status, submitter: submitter }
            statuses: { open: [in-progress] }

          - id: goals
            kind: goals
            format: csv
            path: goals/goals.csv
            fields: { id: goal_id, team: team_id, period: period, target: target, actual: actual, score: score }

        confidentiality:
          min_respondents: 5
          min_comment_respondents: 10
          pseudonym_key_env: LEANPULSE_KEY

        metrics:
          favorable_aggregation: item-mean
          strength_threshold: 65
          cycle_time_inclusive: true
          relative_weights: true

        quality:
          max_rejected_ratio: 0.02                # more unusable records: publish, but exit with code 3

        reports:
          dir: Reports/{period}
          html: true
          csv: true

        """
        return text
    }

    /// `Pipelines/instruments/lean-leadership.yml` as the sample answers it, written from `SampleInstrument`.
    static func instrumentYAML() -> String {
        let y = SampleText.yaml
        let labels = SampleInstrument.agreeLabels.enumerated().map { "\(y($1)): \($0 + 1)" }.joined(separator: ", ")
        let notAnswered = SampleInstrument.notAnswered.map(y).joined(separator: ", ")
        var text = """
        # The lean leadership pulse the sample answers (a copy of the project's Pipelines/instruments/lean-leadership.yml):
        # 19 agree/disagree statements, an eNPS question and a free-text comment.
        instrument: \(SampleInstrument.id)
        version: \(y(SampleInstrument.version))

        scales:
          agree5:
            min: 1
            max: 5
            labels: { \(labels) }
            not_answered: [\(notAnswered)]
          nps:
            min: 0
            max: 10
            labels: { \(y(SampleInstrument.enpsLabel(0))): 0, \(y(SampleInstrument.enpsLabel(10))): 10 }
            not_answered: ["-99"]

        # In questionnaire order; `reverse: true` is scored min + max - x.
        items:

        """
        for item in SampleInstrument.items {
            text += "  \(item.id): { text: \(y(item.text)), scale: agree5\(item.reverse ? ", reverse: true" : "") }\n"
        }
        text += "  \(SampleInstrument.enpsId): { text: \(y(SampleInstrument.enpsText)), scale: nps }\n\nfactors:\n"
        for factor in SampleInstrument.factors {
            let ids = factor.factor.map { f in SampleInstrument.items.filter { $0.factor == f }.map(\.id) } ?? [SampleInstrument.enpsId]
            let role = factor.role.map { ", role: \($0)" } ?? ""
            text += "  \(factor.id): { name: \(y(factor.name)), items: [\(ids.joined(separator: ", "))]\(role) }\n"
        }
        return text
    }
}
