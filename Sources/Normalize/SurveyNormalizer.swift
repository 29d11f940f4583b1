import Foundation
import LeanPulseCore

/// Maps survey records onto responses (`ResponseColumns`, or a `SurveyResponse` one at a time): answers through the
/// instrument's scales and labels, the team through the organisation, the respondent through the pseudonymizer, the
/// period from the source or the submission date. A record that cannot be used becomes a finding, never a silent drop.
public struct SurveyNormalizer {
    public let source: SourceConfig
    private let instrument: Instrument
    private let organization: Organization
    private let pseudonymizer: Pseudonymizer?
    /// Reads times in the export's zone; gives days in the pipeline's: a record's period comes from its date there
    /// (DESIGN.md), whatever zone the export wrote its times in.
    private let timestamps: TimestampParser
    /// The zone times without an offset are read in, and why (`validate` shows it).
    public let exportZone: ExportZone
    private let teamColumn: Int?
    private let respondentColumn: Int?
    private let submittedColumn: Int?
    private let commentColumn: Int?
    /// Column of each instrument item (nil: the export does not carry it).
    public let itemColumns: [Int?]
    /// The items the export carries: item index, export column and scale range (for the common in-range number).
    private let mappedItems: [MappedItem]
    private struct MappedItem {
        var item: Int
        var column: Int
        var min: Int
        var max: Int
    }
    /// Items whose export column labels its codes otherwise than the instrument scores those labels (Triple-S `<values>`:
    /// `1` = "Strongly agree" where the instrument says 5), or labels a code as not answered ("Don't know" = 9): read
    /// through the labels, code -> value (`ResponseColumns.noAnswer` for not answered), outside the fast loop.
    private let labelledItems: [LabelledItem]
    private struct LabelledItem {
        var item: Int
        var column: Int
        var codes: [String: Int16]
    }
    /// What the file is told once about codes read through their labels (at the first record).
    private var labelNote: (column: Int, message: String)?
    /// The team of every response when the export has no team field (an organisation of one root).
    private let rootTeam: String?
    private var teams: TeamResolver
    public private(set) var tally = NormalizeTally()
    /// Slash dates read month first in a generic source (one warning per file).
    private var monthFirstDates: MonthFirstDates

    /// Resolves the column mapping; throws when the configuration does not fit the export's header.
    public init(source: SourceConfig, header: RecordHeader, instrument: Instrument, organization: Organization,
                pseudonymizer: Pseudonymizer?, pipelineZone: TimeZone) throws(Diagnostic) {
        self.source = source
        self.instrument = instrument
        self.organization = organization
        self.pseudonymizer = pseudonymizer
        teams = TeamResolver(organization: organization)
        let map = ColumnMap(source: source, header: header)
        teamColumn = try map.column("team")
        respondentColumn = try map.column("respondent")
        submittedColumn = try map.column("submitted")
        exportZone = ExportZone(source: source, header: header, column: submittedColumn, pipelineZone: pipelineZone)
        timestamps = try TimestampParser(zone: exportZone.zone, format: source.dateFormat, dayZone: pipelineZone)
        monthFirstDates = MonthFirstDates(source)
        commentColumn = try map.column("comment")
        if respondentColumn != nil, pseudonymizer == nil {
            throw Diagnostic(.error, "source '\(source.id)' maps a respondent column but no pseudonym key is set", at: source.location)
        }
        // A run finds this with the configuration (PipelineContext); checked here too for callers that start here.
        if let problem = source.unknownItem(in: instrument) { throw problem }
        var columnOfItem: [String: String] = [:]
        for (column, item) in source.itemsInFileOrder {
            guard ColumnMap.find(column, in: header) != nil else {
                throw Diagnostic(.error, "source '\(source.id)': items maps column '\(column)', which is not in the export (its columns: \(ColumnMap.preview(header.names)))",
                                 at: source.itemLocations[column] ?? source.location)
            }
            columnOfItem[item] = column
        }
        let enpsIndex = instrument.enpsItemIndex
        var columns: [Int?] = []
        for (i, item) in instrument.items.enumerated() {
            if let name = columnOfItem[item.id] {
                columns.append(ColumnMap.find(name, in: header))
            } else if i == enpsIndex, let name = source.fields["enps"] {
                guard let c = ColumnMap.find(name, in: header) else {
                    throw Diagnostic(.error, "source '\(source.id)': fields.enps names column '\(name)', which is not in the export", at: source.location)
                }
                columns.append(c)
            } else {
                columns.append(ColumnMap.find(item.id, in: header))
            }
        }
        guard columns.contains(where: { $0 != nil }) else {
            throw Diagnostic(.error, "source '\(source.id)': no column of the export maps to an instrument item; add 'items:' (export column -> item id)",
                             at: source.location)
        }
        itemColumns = columns
        let mapped = columns.enumerated().compactMap { item, column in
            column.map { MappedItem(item: item, column: $0, min: instrument.items[item].scale.min, max: instrument.items[item].scale.max) }
        }
        var labelled: [LabelledItem] = []
        var relabelled: [String] = []
        for item in mapped {
            guard let labels = header.valueLabels[item.column] else { continue }
            let (codes, differing) = Self.codes(labels, scale: instrument.items[item.item].scale)
            guard let codes else { continue }
            labelled.append(LabelledItem(item: item.item, column: item.column, codes: codes))
            if !differing.isEmpty { relabelled.append("\(header.names[item.column]) (" + differing.joined(separator: ", ") + ")") }
        }
        labelledItems = labelled
        mappedItems = mapped.filter { item in !labelled.contains { $0.item == item.item } }
        if let first = labelled.first, !relabelled.isEmpty {
            labelNote = (first.column, "the export labels \(relabelled.count) item\(relabelled.count == 1 ? "'s" : "s'") codes otherwise than the "
                         + "instrument scores those labels; codes are read through their labels: " + relabelled.prefix(5).joined(separator: "; ")
                         + (relabelled.count > 5 ? "; and \(relabelled.count - 5) more" : ""))
        }
        if teamColumn == nil {
            let roots = organization.roots
            guard roots.count == 1 else {
                throw Diagnostic(.error, "source '\(source.id)' has no team field, and the organisation has \(roots.count) roots", at: source.location)
            }
            rootTeam = organization.units[roots[0]].id
        } else {
            rootTeam = nil
        }
    }

    /// The code -> value map of a column whose codes the export labels (`labels`: code -> label), when reading a code
    /// through its label differs from reading it as a number on `scale` (a label scored as another value, or a label that
    /// is not answered); nil when the codes read the same either way. `differing` names each code that reads otherwise.
    static func codes(_ labels: [String: String], scale: Scale) -> (codes: [String: Int16]?, differing: [String]) {
        var codes: [String: Int16] = [:]
        var differing: [String] = []
        var notAnswered = false
        for (code, label) in labels.sorted(by: { (Int($0.key) ?? .max, $0.key) < (Int($1.key) ?? .max, $1.key) }) {
            let key = Scale.key(label)
            let canonical = integer(code).map(String.init) ?? code
            if let value = scale.labels[key] {
                codes[canonical] = Int16(value)
                if integer(code) != value { differing.append("\(code) '\(label)' = \(value)") }
            } else if scale.notAnswered.contains(key) {
                codes[canonical] = ResponseColumns.noAnswer
                notAnswered = true
            }
        }
        return (differing.isEmpty && !notAnswered ? nil : codes, differing)
    }

    /// Instrument items the export does not carry (reported once per source by `validate` and the run).
    public var missingItems: [String] {
        zip(instrument.items, itemColumns).filter { $0.1 == nil }.map(\.0.id)
    }

    /// A respondent column holding Microsoft Forms' `anonymous` was warned about (once per source).
    private var warnedAnonymous = false
    /// LimeSurvey's anonymized dates were noted (once per source).
    private var notedAnonymizedDates = false

    /// What LimeSurvey writes as every response's `submitdate` in an anonymized survey ("only a dummy date stamp
    /// (1980-01-01) will be used for all responses").
    static let limeSurveyAnonymizedDate = "1980-01-01 00:00:00"

    /// True for LimeSurvey's anonymized placeholder date in a `limesurvey-csv` source.
    static func isAnonymizedDate(_ bytes: UnsafeBufferPointer<UInt8>, format: SourceFormat) -> Bool {
        format == .limeSurveyCSV && bytes.elementsEqual(limeSurveyAnonymizedDate.utf8)
    }

    /// Microsoft Forms' placeholder for an anonymous form's respondent.
    static func isAnonymousMarker(_ bytes: UnsafeBufferPointer<UInt8>, format: SourceFormat) -> Bool {
        guard format == .microsoftFormsCSV, bytes.count == 9 else { return false }
        return zip(bytes, "anonymous".utf8).allSatisfy { $0 | 0x20 == $1 }
    }

    /// Ends the file: what is worth one finding for the whole file (dates read month first); throws when the file is
    /// proven to write the day first while some of its dates were read month first (`MonthFirstDates`).
    public mutating func finish() throws(Diagnostic) {
        try monthFirstDates.finish(source.id, into: &tally)
    }

    /// The response of `record`, or nil when it had to be rejected (the reason is in `tally.findings`).
    public mutating func normalize(_ record: SourceRecord) -> SurveyResponse? {
        RawRecordArena().withRaw(record) { normalize($0) }
    }

    /// The response of `record` as a value, or nil when it had to be rejected.
    public mutating func normalize(_ record: RawRecord) -> SurveyResponse? {
        let one = ResponseColumns(itemCount: itemColumns.count, capacity: 1)
        return normalize(record, into: one) ? one[0] : nil
    }

    /// Appends the response of `record`, read from its bytes (no String per field), to `responses`; false when it had
    /// to be rejected (the reason is in `tally.findings`).
    public mutating func normalize(_ record: RawRecord, into responses: ResponseColumns) -> Bool {
        tally.read += 1
        let team: TeamResolver.Match
        if let teamColumn {
            guard let reference = record.trimmed(teamColumn) else {
                tally.reject(source.id, record.location(ofField: teamColumn), "missing-team", "the response names no team")
                notePeriod(ofRejected: record)
                return false
            }
            guard let match = teams.match(bytes: reference) else {
                let (code, message) = organization.unresolved(String(decoding: reference, as: UTF8.self))
                tally.reject(source.id, record.location(ofField: teamColumn), code, message)
                notePeriod(ofRejected: record)
                return false
            }
            team = match
        } else {
            team = .id(rootTeam ?? "")
        }
        var submitted: Timestamp?
        var submittedDay: Day?
        if let submittedColumn, let text = record.trimmed(submittedColumn) {
            if Self.isAnonymizedDate(text, format: source.format) {
                guard acceptAnonymizedDate(at: record.location(ofField: submittedColumn)) else { return false }
            } else if let parsed = timestamps.parsed(bytes: text) {
                submitted = parsed.timestamp
                if source.period == nil { submittedDay = timestamps.day(of: parsed) }
                if parsed.monthFirst { monthFirstDates.saw(text, at: record.location(ofField: submittedColumn)) }
            } else {
                let message = monthFirstDates.notADate(text, at: record.location(ofField: submittedColumn), format: source.dateFormat)
                if source.period == nil {
                    tally.reject(source.id, record.location(ofField: submittedColumn), "bad-date", message)
                    return false
                }
                tally.warn(source.id, record.location(ofField: submittedColumn), "bad-date", message)
            }
        }
        let period: Period
        if let fixed = source.period {
            period = fixed
        } else if let submittedDay {
            period = Period(containing: submittedDay)
        } else {
            tally.reject(source.id, record.location, "no-period", "the response has no submission date and the source no 'period'")
            return false
        }
        var respondentKey: Pseudonym?
        if let respondentColumn {
            let raw = record.trimmed(respondentColumn)
            if let raw, !Self.isAnonymousMarker(raw, format: source.format) {
                respondentKey = pseudonymizer?.key(bytes: raw)
            } else if raw != nil {
                // Microsoft Forms writes `anonymous` as every respondent's Email and Name in an anonymous form: no id, and
                // not one person (taken as an id, every response but the last was a duplicate of the first).
                if !warnedAnonymous {
                    warnedAnonymous = true
                    tally.warn(source.id, record.location(ofField: respondentColumn), "anonymous-respondent",
                               "the respondent column says 'anonymous' (an anonymous form): responses are kept without an id, so a "
                               + "person's second response cannot be detected")
                }
            } else {
                tally.warn(source.id, record.location(ofField: respondentColumn), "missing-respondent",
                           "the response has no respondent id: it is kept, but a duplicate of it cannot be detected")
            }
        }
        // Written in place into the batch; every slot starts out `noAnswer`.
        let out = responses.pendingAnswers()
        let fields = record.fields, base = record.base, fieldCount = record.count
        // Over buffer pointers: forty answers a response, and the array's checks were a third of this loop.
        mappedItems.withUnsafeBufferPointer { items in
            for mapped in items {
                // Fastest path: a one-digit answer in range (a present one-byte field needs no trimming).
                if mapped.column < fieldCount {
                    let field = fields[mapped.column]
                    if field.end &- field.start == 1 && field.flags & RawField.absent == 0 {
                        let digit = Int(base[field.start]) &- 48
                        if digit >= mapped.min && digit <= mapped.max && digit >= 0 && digit <= 9 {
                            out[mapped.item] = Int16(truncatingIfNeeded: digit)
                            continue
                        }
                    }
                }
                guard let text = record.trimmed(mapped.column) else { continue }
                // Fast path: a number in the scale's range (most answers), without a String.
                if let value = Self.integer(text), value >= mapped.min, value <= mapped.max {
                    out[mapped.item] = Int16(truncatingIfNeeded: value)
                } else {
                    out[mapped.item] = answer(String(decoding: text, as: UTF8.self), item: instrument.items[mapped.item],
                                              record: record, column: mapped.column) ?? ResponseColumns.noAnswer
                }
            }
        }
        for labelled in labelledItems {
            guard let text = record.trimmed(labelled.column) else { continue }
            let written = String(decoding: text, as: UTF8.self)
            if let value = labelled.codes[Self.integer(text).map(String.init) ?? written] {
                out[labelled.item] = value
            } else {
                // A code the labels do not speak for: as any answer.
                out[labelled.item] = answer(written, item: instrument.items[labelled.item], record: record, column: labelled.column)
                    ?? ResponseColumns.noAnswer
            }
        }
        if let note = labelNote {
            labelNote = nil
            tally.inform(source.id, record.location(ofField: note.column), "value-labels", note.message)
        }
        tally.accepted += 1
        let comment = record.trimmed(commentColumn)
        team.withUTF8 { teamId in
            responses.append(teamId: teamId, respondentKey: respondentKey, period: period, submitted: submitted?.epochSeconds,
                             comment: comment, file: record.file, line: record.line, column: record.column)
        }
        return true
    }

    /// An anonymized LimeSurvey survey: the same placeholder date for every response, no date (read as one, every response
    /// went to 1980-Q1 without a word, and the quarter's report had none). False (the record rejected, saying why) when the
    /// source has no `period:` to take instead; else one note per file.
    private mutating func acceptAnonymizedDate(at location: SourceLocation) -> Bool {
        guard source.period != nil else {
            tally.reject(source.id, location, "no-period", "'\(Self.limeSurveyAnonymizedDate)' is LimeSurvey's placeholder in an anonymized "
                         + "survey, not a submission date: set the source's period: (the quarter the survey ran in)")
            return false
        }
        if !notedAnonymizedDates {
            notedAnonymizedDates = true
            tally.inform(source.id, location, "anonymized-dates", "'\(Self.limeSurveyAnonymizedDate)' is LimeSurvey's placeholder in an "
                         + "anonymized survey: responses are stored under the source's period without a submission date")
        }
        return true
    }

    /// Notes the period of a record rejected before its date was read (a source with a `period:` speaks for it anyway).
    private mutating func notePeriod(ofRejected record: RawRecord) {
        guard source.period == nil, let submittedColumn, let text = record.trimmed(submittedColumn),
              !Self.isAnonymizedDate(text, format: source.format), let parsed = timestamps.parsed(bytes: text) else { return }
        tally.rejectedPeriods.insert(Period(containing: timestamps.day(of: parsed)))
    }

    /// METRICS.md 1: a number in range, or a label; "not answered" codes leave quietly; anything else is a warning.
    private mutating func answer(_ text: String, item: Item, record: RawRecord, column: Int) -> Int16? {
        let scale = item.scale
        if let value = Self.integer(text) {
            if value >= scale.min, value <= scale.max { return Int16(value) }
            if scale.notAnswered.contains(text) { return nil }
            tally.warn(source.id, record.location(ofField: column), "out-of-range",
                       "item \(item.id): \(value) is outside \(scale.min)...\(scale.max); counted as not answered")
            return nil
        }
        let key = Scale.key(text)
        if let value = scale.labels[key] { return Int16(value) }
        if scale.notAnswered.contains(key) { return nil }
        if let value = Double(text), value == value.rounded(), value >= Double(scale.min), value <= Double(scale.max) {
            return Int16(value)
        }
        // A decimal comma, as a European spreadsheet writes a whole number it formatted with decimals (`4,0`); three
        // zeros after the comma would be a thousands separator, not a decimal.
        if let value = Self.decimalCommaInteger(text), value >= scale.min, value <= scale.max { return Int16(value) }
        tally.warn(source.id, record.location(ofField: column), "unknown-label",
                   "item \(item.id): '\(text)' is neither a number in \(scale.min)...\(scale.max) nor a label of scale \(scale.id); counted as not answered")
        return nil
    }

    /// A whole number written with a decimal comma and one or two zero decimals (`4,0`, `10,00`); nil otherwise.
    static func decimalCommaInteger(_ text: String) -> Int? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[1].count), parts[1].allSatisfy({ $0 == "0" }) else { return nil }
        return integer(String(parts[0]))
    }

    /// A plain optionally signed decimal integer.
    static func integer(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { integer($0) }
    }

    /// A plain optionally signed decimal integer from UTF-8 bytes, without allocation.
    @inline(__always)
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        // Most answers: one digit.
        if bytes.count == 1 {
            let b = bytes[0]
            return b >= 48 && b <= 57 ? Int(b - 48) : nil
        }
        var value = 0, negative = false, digits = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            if i == 0, b == UInt8(ascii: "-") { negative = true; continue }
            guard b >= 48, b <= 57, digits < 9 else { return nil }
            value = value * 10 + Int(b - 48)
            digits += 1
        }
        guard digits > 0 else { return nil }
        return negative ? -value : value
    }
}
