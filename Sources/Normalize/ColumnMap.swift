import LeanPulseCore

/// Where each configured role (`team`, `submitted`, ...) sits in a source's header.
struct ColumnMap {
    let source: SourceConfig
    let header: RecordHeader

    /// The column of `role` from the source's `fields:`; nil when the role is not mapped.
    /// Throws when it is mapped to a column the export does not have.
    func column(_ role: String) throws(Diagnostic) -> Int? {
        guard let name = source.fields[role] else { return nil }
        if let index = Self.find(name, in: header) { return index }
        throw Diagnostic(.error, "source '\(source.id)': fields.\(role) names column '\(name)', which \(header.names.isEmpty ? "the file does not have (it has no header)" : "is not in the export (its columns: \(Self.preview(header.names)))")",
                         at: source.location)
    }

    func required(_ role: String) throws(Diagnostic) -> Int {
        guard let index = try column(role) else {
            throw Diagnostic(.error, "source '\(source.id)': 'fields' needs '\(role)'", at: source.location)
        }
        return index
    }

    /// A column by name, else by vendor import id (Qualtrics `QID12`), else either case-insensitively, else by
    /// the second header row (legacy Qualtrics exports name columns V1, V2... and put `ResponseID` there).
    static func find(_ name: String, in header: RecordHeader) -> Int? {
        if let i = header.names.firstIndex(of: name) { return i }
        if let i = header.importIds.firstIndex(of: name) { return i }
        let key = Scale.key(name)
        if let i = header.names.firstIndex(where: { Scale.key($0) == key }) { return i }
        if let i = header.importIds.firstIndex(where: { Scale.key($0) == key }) { return i }
        return header.questionTexts.firstIndex { Scale.key($0) == key }
    }

    static func preview(_ names: [String]) -> String {
        let shown = names.prefix(12).joined(separator: ", ")
        return names.count > 12 ? shown + ", ... (\(names.count) in all)" : shown
    }
}

/// Counts and findings of one file as it is normalized.
public struct NormalizeTally: Sendable {
    public var read = 0
    public var accepted = 0
    public var rejected = 0
    public var findings: [DataQualityFinding] = []
    /// Periods named by records that were rejected (a readable date or period, then another fault): the import still
    /// speaks for them, so that a corrected export whose every record of a period is rejected replaces that period's
    /// earlier rows instead of leaving them in the report.
    public var rejectedPeriods: Set<Period> = []

    public init() {}

    mutating func reject(_ source: String, _ location: SourceLocation, _ code: String, _ message: String) {
        rejected += 1
        findings.append(DataQualityFinding(source: source, location: location, severity: .error, code: code, message: message))
    }

    mutating func warn(_ source: String, _ location: SourceLocation, _ code: String, _ message: String) {
        findings.append(DataQualityFinding(source: source, location: location, severity: .warning, code: code, message: message))
    }

    mutating func inform(_ source: String, _ location: SourceLocation, _ code: String, _ message: String) {
        findings.append(DataQualityFinding(source: source, location: location, severity: .info, code: code, message: message))
    }
}

extension SourceRecord {
    /// The trimmed value of `column`, nil when absent or blank.
    func text(_ column: Int?) -> String? {
        guard let column, column < values.count, var raw = values[column] else { return nil }
        // Most fields: printable ASCII at both ends, nothing to trim (checked on the bytes: the generic
        // `utf8.last` is a measurable share of a million records).
        let edges = raw.withUTF8 { b -> UInt8 in
            guard let first = b.first, let last = b.last else { return 0 }
            return first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F ? 1 : 2
        }
        if edges == 0 { return nil }
        if edges == 1 || raw.hasNoSpacesAtEdges { return raw }
        let trimmed = raw.trimmingSpaces
        return trimmed.isEmpty ? nil : trimmed
    }
}

/// `Organization.resolve` with a cache over the reference's bytes: an export names the same few thousand teams
/// millions of times, and hashing the bytes here is several times cheaper than a `String`-keyed dictionary.
/// It hands out the team's id itself, which is what a normalized record carries.
struct TeamResolver {
    private let organization: Organization
    private var table: ByteKeyTable<String?>
    /// Team ids written as plain decimal numbers (`42`, not `042`: text and number then name each other one to one):
    /// bit `n` is set when a unit's id is the number `n`. Such a reference *is* the id's text, so the id is made from the
    /// reference's bytes, and the lookup touches one bit: 12 KB for a 93k-team organisation, in the core's cache, where
    /// a table of the ids themselves (1.5 MB) cost a cache miss per record, a tenth of a million-response ingest in
    /// `perf`. Numbers no unit has as its id go to `table` (they may be names). Empty when the numbers are too sparse.
    private let numberedUnits: [UInt64]

    init(organization: Organization) {
        self.organization = organization
        table = ByteKeyTable(minimumSlots: max(1024, organization.units.count * 4))
        // `Organization.resolve` tries ids first: a unit whose id is the number wins over a unit with that name.
        numberedUnits = NumberedUnits(organization).bits
    }

    /// The unit a reference names, for callers that keep bytes: the reference itself when it is the id (no String),
    /// else the id it resolved to.
    enum Match {
        case reference(UnsafeBufferPointer<UInt8>)
        case id(String)

        /// `body` with the UTF-8 of the unit's id.
        @inline(__always)
        func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            switch self {
            case .reference(let bytes): return body(bytes)
            case .id(var id): return id.withUTF8(body)
            }
        }
    }

    /// What the reference's bytes name (by id, else by name), nil when no unit.
    @inline(__always)
    mutating func match(bytes: UnsafeBufferPointer<UInt8>) -> Match? {
        if isUnitNumber(bytes) { return .reference(bytes) }
        return lookUp(bytes).map(Match.id)
    }

    /// Whether the bytes are a plain decimal number that is a unit's id.
    @inline(__always)
    private func isUnitNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let n = NumberedUnits.canonicalNumber(bytes), n >> 6 < numberedUnits.count else { return false }
        return numberedUnits[n >> 6] & (1 << UInt64(n & 63)) != 0
    }

    private mutating func lookUp(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if let known = table.value(for: bytes) { return known }
        let value = organization.resolve(String(decoding: bytes, as: UTF8.self)).map { organization.units[$0].id }
        table.insert(value, for: bytes)
        return value
    }
}
