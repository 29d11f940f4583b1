import Foundation
import LeanPulseCore

/// Maps ideas-log records onto `Idea`. Times without an offset are read in the export's zone (`ExportZone`); every date
/// becomes a calendar day in the pipeline's time zone.
public struct IdeaNormalizer {
    public let source: SourceConfig
    private let organization: Organization
    private let pseudonymizer: Pseudonymizer?
    private let timestamps: TimestampParser
    private let idColumn: Int
    private let teamColumn: Int
    private let submittedColumn: Int
    private let implementedColumn: Int?
    private let rejectedColumn: Int?
    private let statusColumn: Int?
    private let submitterColumn: Int?
    /// The implementation and rejection date columns that are mapped, with which of the two each is.
    private let outcomeColumns: [(column: Int, isImplemented: Bool)]
    public private(set) var tally = NormalizeTally()
    private var teams: TeamResolver
    /// Each status (by its bytes) as an index into the three arrays after it: a log repeats a handful of statuses
    /// millions of times.
    private var statuses = ByteKeyTable<Int32>(minimumSlots: 1024)
    /// The file's distinct statuses in the order first seen: what each reads as, how many accepted ideas have it (counted
    /// for unknown statuses only: `unknown-status` lists them), and its text (apart: the per-idea work touches plain
    /// values only).
    private var statusReadings: [StatusReading] = []
    private var statusIdeas: [Int] = []
    private var statusTexts: [String] = []
    /// The status of the last idea with an implementation date and of the last with a rejection date, and its index: a
    /// log writes the same word beside nearly every such idea, and comparing it costs less than the table's lookup.
    private var implementedMemo = StatusMemo()
    private var rejectedMemo = StatusMemo()
    /// Ideas whose status is neither built-in nor in `statuses:` and not among `statusTexts` (more distinct values than
    /// the table holds: a status column of free text).
    private var unlistedUnknownIdeas = 0
    private enum StatusReading { case implemented, rejected, open, unknown }
    private enum StatusNote { case againstDates, rejectedWithoutDate, implementedWithoutDate, unknown }
    /// Ideas whose status is neither a built-in word nor one of the source's `statuses:`.
    private var unknownStatuses = FileNote()
    /// Ideas whose status says rejected but that have no rejection date.
    private var rejectedWithoutDate = FileNote()
    /// Ideas whose status says implemented where the source maps no implementation date column (a status-only export).
    private var implementedWithoutColumn = FileNote()
    /// Ideas whose status contradicts their dates (rejected with an implementation date, or the reverse).
    private var statusAgainstDates = FileNote()
    /// The previous idea's ten-byte submission date and its day: a log is usually in submission order, so most ideas
    /// repeat the date before them (parsing it again was a tenth of normalizing an idea).
    private var lastSubmitted: (bytes: (UInt64, UInt16), day: Day, monthFirst: Bool)?
    /// Slash dates read month first in a generic source (one warning per file).
    private var monthFirstDates: MonthFirstDates
    /// The zone times without an offset are read in, and why (`validate` shows it).
    public let exportZone: ExportZone
    /// The ids of the file's ideas so far: an idea listed twice is used once (the first record).
    private var seenIds = RepeatedIds()
    /// The ids of the source's files read before this one, when it has several (set by the caller).
    public var earlierFiles: EarlierFileIds?

    public init(source: SourceConfig, header: RecordHeader, organization: Organization, pseudonymizer: Pseudonymizer?,
                pipelineZone: TimeZone) throws(Diagnostic) {
        self.source = source
        self.organization = organization
        self.pseudonymizer = pseudonymizer
        teams = TeamResolver(organization: organization)
        let map = ColumnMap(source: source, header: header)
        idColumn = try map.required("id")
        teamColumn = try map.required("team")
        submittedColumn = try map.required("submitted")
        // The same decision as a survey's: the source's zone, else the one the export states, else the pipeline's.
        exportZone = ExportZone(source: source, header: header, column: submittedColumn, pipelineZone: pipelineZone)
        timestamps = try TimestampParser(zone: exportZone.zone, format: source.dateFormat, dayZone: pipelineZone)
        monthFirstDates = MonthFirstDates(source)
        implementedColumn = try map.column("implemented")
        rejectedColumn = try map.column("rejected")
        statusColumn = try map.column("status")
        submitterColumn = try map.column("submitter")
        outcomeColumns = [(implementedColumn, true), (rejectedColumn, false)].compactMap { pair in pair.0.map { ($0, pair.1) } }
        if submitterColumn != nil, pseudonymizer == nil {
            throw Diagnostic(.error, "source '\(source.id)' maps a submitter column but no pseudonym key is set", at: source.location)
        }
    }

    /// The idea of `record`, or nil when it had to be rejected (the reason is in `tally.findings`).
    public mutating func normalize(_ record: SourceRecord) -> Idea? {
        let one = IdeaColumns(capacity: 1)
        guard RawRecordArena().withRaw(record, { normalize($0, into: one) }) else { return nil }
        return one[0]
    }

    /// Appends the idea of `record`, read from its bytes, to `ideas`; false when it had to be rejected (the reason is
    /// in `tally.findings`).
    public mutating func normalize(_ record: RawRecord, into ideas: IdeaColumns) -> Bool {
        tally.read += 1
        guard let idBytes = record.trimmed(idColumn) else {
            tally.reject(source.id, record.location(ofField: idColumn), "missing-id", "the idea has no id")
            return false
        }
        // The id as text only for a finding's message.
        var ideaId: String { String(decoding: idBytes, as: UTF8.self) }
        // Checked last (below): only an idea that is otherwise accepted claims its id.
        guard let team = record.trimmed(teamColumn) else {
            tally.reject(source.id, record.location(ofField: teamColumn), "missing-team", "idea \(ideaId) names no team")
            return false
        }
        guard let teamMatch = teams.match(bytes: team) else {
            let (code, message) = organization.unresolved(String(decoding: team, as: UTF8.self))
            tally.reject(source.id, record.location(ofField: teamColumn), code, "idea \(ideaId): " + message)
            return false
        }
        guard let submittedText = record.trimmed(submittedColumn) else {
            tally.reject(source.id, record.location(ofField: submittedColumn), "missing-date", "idea \(ideaId) has no submission date")
            return false
        }
        guard let (submitted, monthFirst) = submittedDay(submittedText) else {
            let location = record.location(ofField: submittedColumn)
            tally.reject(source.id, location, "bad-date",
                         "idea \(ideaId): " + monthFirstDates.notADate(submittedText, at: location, format: source.dateFormat))
            return false
        }
        if monthFirst { monthFirstDates.saw(submittedText, at: record.location(ofField: submittedColumn)) }
        var implemented: Day?
        var rejected: Day?
        for (column, isImplemented) in outcomeColumns {
            guard let text = record.trimmed(column) else { continue }
            guard let (day, monthFirst) = timestamps.dayRead(bytes: text) else {
                let location = record.location(ofField: column)
                tally.reject(source.id, location, "bad-date", "idea \(ideaId): " + monthFirstDates.notADate(text, at: location, format: source.dateFormat))
                return false
            }
            if monthFirst { monthFirstDates.saw(text, at: record.location(ofField: column)) }
            guard day >= submitted else {
                tally.reject(source.id, record.location(ofField: column), "date-order",
                             "idea \(ideaId): \(isImplemented ? "implemented" : "rejected") on \(day), before it was submitted on \(submitted)")
                return false
            }
            if isImplemented { implemented = day } else { rejected = day }
        }
        if implemented != nil, rejected != nil {
            tally.reject(source.id, record.location, "conflicting-outcome", "idea \(ideaId) has both an implementation and a rejection date")
            return false
        }
        if let first = seenIds.firstLine(of: idBytes, line: record.line) {
            tally.reject(source.id, record.location(ofField: idColumn), "duplicate-id",
                         "idea \(ideaId) is already at line \(first): this record is not used (an idea counts once)")
            return false
        }
        if let earlierFiles {
            if let first = earlierFiles.place(of: idBytes) {
                tally.reject(source.id, record.location(ofField: idColumn), "duplicate-id",
                             "idea \(ideaId) is already at line \(first.line) of \(first.file): this record is not used (an idea counts "
                             + "once; are these snapshots of one log? then point the source at the latest only)")
                return false
            }
            earlierFiles.add(idBytes, file: record.file, line: record.line)
        }
        // The status is stored as written (trimmed): the bytes themselves go into the batch.
        let status = record.trimmed(statusColumn)
        if let status, let statusColumn {
            switch statusNote(status, implemented: implemented != nil, rejected: rejected != nil) {
            case nil: break
            case .againstDates: statusAgainstDates.saw(at: record.location(ofField: statusColumn))
            case .rejectedWithoutDate: rejectedWithoutDate.saw(at: record.location(ofField: statusColumn))
            case .implementedWithoutDate where implementedColumn != nil:
                tally.warn(source.id, record.location(ofField: statusColumn), "missing-date",
                           "idea \(ideaId) has status implemented but no implementation date: it counts as open")
            case .implementedWithoutDate: implementedWithoutColumn.saw(at: record.location(ofField: statusColumn))
            case .unknown: unknownStatuses.saw(at: record.location(ofField: statusColumn))
            }
        }
        var submitterKey: String?
        if let submitterColumn, let raw = record.trimmed(submitterColumn) { submitterKey = pseudonymizer?.pseudonym(bytes: raw) }
        tally.accepted += 1
        teamMatch.withUTF8 { teamId in
            submitterKey.withUTF8IfPresent { key in
                ideas.append(id: idBytes, teamId: teamId, submitted: submitted, implemented: implemented, rejected: rejected,
                             status: status, submitterKey: key)
            }
        }
        return true
    }

    /// What an idea's status says beside its dates that the file's findings note (nil: nothing). Every status is read
    /// (no allocation: a decided idea's compared with the status beside the last idea decided alike, else one status table
    /// lookup): the source's own words (`statuses:`) may start with any letter, and a status neither built-in nor mapped
    /// is listed once per file (`unknown-status`). The dates decide either way (METRICS.md 3). It takes the status and returns a value, and `normalize` does the noting: as a call per idea, or
    /// handed the record or closures for the location, it cost 20-50 instructions an idea (callgrind over 100k ideas.csv).
    @inline(__always)
    private mutating func statusNote(_ status: UnsafeBufferPointer<UInt8>, implemented: Bool, rejected: Bool) -> StatusNote? {
        switch statusReading(status, implemented: implemented, rejected: rejected) {
        case .implemented: return rejected ? .againstDates : implemented ? nil : .implementedWithoutDate
        case .rejected: return implemented ? .againstDates : rejected ? nil : .rejectedWithoutDate
        case .open: return nil
        case .unknown: return .unknown
        }
    }

    /// The day of a submission date, the previous idea's when the text is the same ten bytes.
    private mutating func submittedDay(_ bytes: UnsafeBufferPointer<UInt8>) -> (Day, monthFirst: Bool)? {
        guard bytes.count == 10, let base = bytes.baseAddress else { return timestamps.dayRead(bytes: bytes) }
        let raw = UnsafeRawPointer(base)
        let key = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        if let last = lastSubmitted, last.bytes == key { return (last.day, last.monthFirst) }
        guard let read = timestamps.dayRead(bytes: bytes) else { return nil }
        lastSubmitted = (key, read.day, read.monthFirst)
        return read
    }

    /// What the status `bytes` reads as (counting the idea under its value): a source's word (`statuses:`), else a
    /// built-in one (implemented; rejected, declined; open), else unknown; in any case and spacing, as `Scale.key` reads.
    /// A decided idea's status is first compared with the one beside the idea decided alike before it.
    @inline(__always)
    private mutating func statusReading(_ bytes: UnsafeBufferPointer<UInt8>, implemented: Bool, rejected: Bool) -> StatusReading {
        let memoKey = implemented || rejected ? StatusMemo.Key(bytes) : nil
        if let memoKey {
            let memo = implemented ? implementedMemo : rejectedMemo
            if memo.key == memoKey { return counted(memo.index) }
        }
        guard let known = statuses.value(for: bytes) else { return newStatusReading(bytes) }
        let index = Int(known)
        if let memoKey {
            if implemented { implementedMemo = StatusMemo(key: memoKey, index: index) } else { rejectedMemo = StatusMemo(key: memoKey, index: index) }
        }
        return counted(index)
    }

    /// The reading of the file's status `index`, counting the idea where the status is unknown (the only counts shown).
    @inline(__always)
    private mutating func counted(_ index: Int) -> StatusReading {
        let reading = statusReadings[index]
        if reading == .unknown { statusIdeas[index] &+= 1 }
        return reading
    }

    /// A status not in the table: read once, then kept (while the table takes new keys).
    @inline(never)
    private mutating func newStatusReading(_ bytes: UnsafeBufferPointer<UInt8>) -> StatusReading {
        let text = String(decoding: bytes, as: UTF8.self)
        let reading: StatusReading = switch source.statuses.role(of: text) {
        case .implemented?: .implemented
        case .rejected?: .rejected
        case .open?: .open
        case nil: .unknown
        }
        statuses.insert(Int32(statusReadings.count), for: bytes)
        if statuses.value(for: bytes) != nil {
            statusReadings.append(reading)
            statusIdeas.append(1)
            statusTexts.append(text)
        } else if reading == .unknown {
            unlistedUnknownIdeas += 1
        }
        return reading
    }

    /// Ends the file: what is worth one finding for the whole file rather than one per idea (an ideas log whose
    /// status says rejected without a rejection date has that on every rejected idea).
    public mutating func finish() throws(Diagnostic) {
        try monthFirstDates.finish(source.id, into: &tally)
        if let (count, first) = statusAgainstDates.take() {
            tally.warn(source.id, first, "status-against-dates",
                       "\(count) idea\(count == 1 ? "'s status contradicts its" : "s' statuses contradict their") dates (rejected with an "
                       + "implementation date, or implemented with a rejection date); first here. The dates decide")
        }
        if let (count, first) = implementedWithoutColumn.take() {
            tally.warn(source.id, first, "implemented-without-date",
                       "\(count) idea\(count == 1 ? " has" : "s have") status implemented but the source maps no implementation date "
                       + "(map fields.implemented); first here. They count as open, in work in progress, and not as implemented")
        }
        if let (count, first) = rejectedWithoutDate.take() {
            tally.warn(source.id, first, "rejected-without-date",
                       "\(count) idea\(count == 1 ? " has" : "s have") status rejected but no rejection date\(rejectedColumn == nil ? " (map fields.rejected)" : "")"
                       + "; first here. They count as open, in work in progress, and not in the implementation rate")
        }
        if let (count, first) = unknownStatuses.take() {
            tally.inform(source.id, first, "unknown-status", unknownStatusMessage(ideas: count))
        }
    }

    /// `unknown-status`: the file's statuses that are neither built-in nor the source's own words, up to ten with the
    /// ideas of each (spellings that `Scale.key` reads alike as one, written as first seen), and how to say what they mean.
    private func unknownStatusMessage(ideas count: Int) -> String {
        var unknown: [(text: String, ideas: Int)] = []
        var byKey: [String: Int] = [:]
        for (i, text) in statusTexts.enumerated() where statusReadings[i] == .unknown {
            let key = Scale.key(text)
            if let k = byKey[key] { unknown[k].ideas += statusIdeas[i] } else { byKey[key] = unknown.count; unknown.append((text, statusIdeas[i])) }
        }
        var listed = unknown.prefix(10).map { "'\($0.text)' (\($0.ideas))" }.joined(separator: ", ")
        if unknown.count > 10 || unlistedUnknownIdeas > 0 { listed += ", ..." }
        let values = unlistedUnknownIdeas > 0 ? "more than \(unknown.count) values"
            : "\(unknown.count) value\(unknown.count == 1 ? "" : "s")"
        let example = unknown.first.map { "\"" + $0.text.replacingAll("\"", with: "\\\"") + "\"" } ?? "Done"
        return "\(count) idea\(count == 1 ? " has a status" : "s have statuses") that neither the built-in words (implemented, "
            + "rejected, declined, open) nor the source's statuses: define; \(values), ideas each: \(listed); first here. They count "
            + "by their dates alone. To say what a status means, list it under its role (implemented, rejected or open), e.g. "
            + "statuses: { implemented: [\(example)] }"
    }
}

/// A status remembered by its bytes, for the next idea's: statuses of 8 to 16 bytes (`implemented`, `rejected`,
/// `Umgesetzt`) as their length and their first and last eight bytes, which together are all of them.
private struct StatusMemo {
    struct Key: Equatable {
        var count: Int
        var head: UInt64
        var tail: UInt64

        /// Nil for a status shorter than 8 or longer than 16 bytes (the table's lookup of a short one is cheap).
        @inline(__always)
        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard bytes.count >= 8, bytes.count <= 16, let base = bytes.baseAddress else { return nil }
            let raw = UnsafeRawPointer(base)
            (count, head, tail) = (bytes.count, raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self))
        }
    }

    /// Nil before the first: no key matches.
    var key: Key?
    var index = 0
}
