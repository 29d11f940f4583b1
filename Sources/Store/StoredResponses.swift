import LeanPulseCore

// What both stores (SQLite in SQLite/, PostgreSQL in Postgres/) share: the stored form of a response's answers, the rule
// that one response per respondent and period counts, the load's notes and its team lookup. Each store keeps only
// what its database needs.

/// A response's answers as stored in `responses.answers`: `[4,3,null,5]`, in `import_items` order.
enum AnswersText {
    /// `answers` (`ResponseColumns.noAnswer`: not answered) as `[4,3,null,5]` (compact, valid JSON, and readable by the `survey_answers` view) into the front of a
    /// reused buffer, grown as needed; returns the number of bytes written. (Written through a pointer: appending byte by
    /// byte checked the array's uniqueness and capacity each time.)
    static func encode(_ answers: UnsafeBufferPointer<Int16>, into bytes: inout [UInt8]) -> Int {
        let worst = 2 + 7 * answers.count  // "-32768," per answer
        if bytes.count < worst { bytes = Array(repeating: 0, count: worst) }
        return bytes.withUnsafeMutableBufferPointer { buffer in
            let out = buffer.baseAddress!
            var n = 0
            out[0] = UInt8(ascii: "[")
            n = 1
            for a in answers {
                // Most answers: one digit and a comma.
                if a >= 0 && a <= 9 {
                    out[n] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: a)
                    out[n &+ 1] = UInt8(ascii: ",")
                    n &+= 2
                    continue
                }
                if a == ResponseColumns.noAnswer {
                    for b in "null".utf8 {
                        out[n] = b
                        n &+= 1
                    }
                } else {
                    n &+= DecimalText.write(Int(a), at: out + n)
                }
                out[n] = UInt8(ascii: ",")
                n &+= 1
            }
            // The last comma becomes the closing bracket (or the bracket follows "[" for no answers).
            if answers.isEmpty { n += 1 }
            out[n - 1] = UInt8(ascii: "]")
            return n
        }
    }

    /// Walks `[4,null,5]` without a JSON library: the store writes this exact form.
    static func decode(_ text: UnsafeBufferPointer<UInt8>, _ body: (Int, Int16?) -> Void) {
        var position = 0, value = 0, negative = false, digits = 0, isNull = false
        for b in text {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value * 10 + Int(b - 48)
                digits += 1
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "n"): isNull = true
            case UInt8(ascii: ","), UInt8(ascii: "]"):
                if digits > 0 || isNull {
                    body(position, isNull ? nil : Int16(clamping: negative ? -value : value))
                }
                position += 1
                value = 0; negative = false; digits = 0; isNull = false
            default: break
            }
        }
    }
}

/// One response per respondent and period (METRICS.md 2): the later submission counts; on equal or unknown times the
/// later row. Within an import the writers keep one and say so (`duplicate-response`); across survey sources the load
/// drops the superseded ones (`CrossSourceDuplicates`).
enum ResponseDuplicates {
    /// Whether a response submitted at `submitted` replaces an earlier-read one submitted at `earlier`.
    static func replaces(_ submitted: Int64?, over earlier: Int64?) -> Bool {
        (submitted ?? .min) >= (earlier ?? .min)
    }

    /// The finding at the second response of a respondent in `period` within one import: `place` names the first one
    /// (`line 12`, or `line 12 of other.csv`).
    static func finding(source: String, at location: SourceLocation, period: String, place: String, replaces: Bool) -> DataQualityFinding {
        DataQualityFinding(
            source: source, location: location, severity: .info, code: "duplicate-response",
            message: replaces
                ? "the respondent's second response in \(period): it replaces the one at \(place) (the later submission counts)"
                : "the respondent's second response in \(period): not used, the one at \(place) was submitted later")
    }
}

/// The responses of one period that another survey source's response of the same respondent supersedes, fed the
/// period's keyed responses in stored-row order (`add`), then `finish`ed into the load's notes.
struct CrossSourceDuplicates {
    private var latest: [String: (id: Int64, submitted: Int64?, source: String)] = [:]
    private var superseded: Set<Int64> = []
    private var involved: Set<String> = []

    mutating func add(id: Int64, source: String, respondentKey key: String, submitted: Int64?) {
        guard let earlier = latest[key] else {
            latest[key] = (id, submitted, source)
            return
        }
        if ResponseDuplicates.replaces(submitted, over: earlier.submitted) {
            superseded.insert(earlier.id)
            latest[key] = (id, submitted, source)
        } else {
            superseded.insert(id)
        }
        involved.formUnion([source, earlier.source])
    }

    /// The superseded response ids; `notes` get their count and sources.
    func finish(into notes: inout DatasetLoadNotes) -> Set<Int64> {
        notes.crossSourceDuplicates = superseded.count
        notes.crossSourceDuplicateSources = involved.sorted()
        return superseded
    }
}

/// What loading a period found that the report should mention.
public struct DatasetLoadNotes: Sendable {
    /// Stored rows whose team is not in the current organisation (skipped), by table.
    public var unresolvedResponses = 0
    public var unresolvedIdeas = 0
    public var unresolvedGoals = 0
    /// Stored items that are no longer in the instrument (their answers are not used).
    public var droppedItems: Set<String> = []
    /// Respondents with a response in more than one survey source of the period (two sources reading the same export,
    /// or a quarter's file moved to another source): only the latest response of each counts (METRICS.md 2).
    public var crossSourceDuplicates = 0
    /// The sources those responses came from.
    public var crossSourceDuplicateSources: [String] = []
}

/// Organisation unit of a stored team id given as UTF-8 bytes, without building a String per row once a team was seen:
/// a numbered id from a flat array (`NumberedUnits`), any other from a table of the ids seen.
struct UnitLookup {
    private let organization: Organization
    private let numbered: NumberedUnits
    private var table: ByteKeyTable<Int?>

    init(organization: Organization) {
        self.organization = organization
        numbered = NumberedUnits(organization)
        table = ByteKeyTable(minimumSlots: max(1024, organization.units.count * 4))
    }

    mutating func index(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if let unit = numbered.index(bytes) { return unit }
        if let known = table.value(for: bytes) { return known }
        let value = organization.index(of: String(decoding: bytes, as: UTF8.self))
        table.insert(value, for: bytes)
        return value
    }
}
