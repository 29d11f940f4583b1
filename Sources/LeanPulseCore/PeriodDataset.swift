/// Store -> Compute: everything one period's metrics need, in compact columnar form.
public struct PeriodDataset: Sendable {
    public var period: Period
    public var organization: Organization
    public var instrument: Instrument
    public var responses: ResponseTable
    public var ideas: IdeaTable
    public var goals: [GoalRow]

    public init(period: Period, organization: Organization, instrument: Instrument, responses: ResponseTable,
                ideas: IdeaTable, goals: [GoalRow]) {
        self.period = period
        self.organization = organization
        self.instrument = instrument
        self.responses = responses
        self.ideas = ideas
        self.goals = goals
    }
}

/// Responses of one period: row r has unit `unit[r]` (an `Organization` index) and answers
/// `answers[r * itemCount ..< (r + 1) * itemCount]` in instrument order, raw (not reverse-scored),
/// `ResponseTable.missing` where not answered.
public struct ResponseTable: Sendable {
    public static let missing: Int16 = .min
    public var itemCount: Int
    public var unit: [Int32]
    public var answers: [Int16]
    /// Comments with the row they belong to (kept apart: most rows have none).
    public var comments: [(row: Int32, text: String)]

    public init(itemCount: Int, unit: [Int32] = [], answers: [Int16] = [], comments: [(row: Int32, text: String)] = []) {
        self.itemCount = itemCount
        self.unit = unit
        self.answers = answers
        self.comments = comments
    }

    public var count: Int { unit.count }

    public mutating func append(unit u: Int32, answers row: [Int16?], comment: String?) {
        if let comment, !comment.isEmpty { comments.append((Int32(unit.count), comment)) }
        unit.append(u)
        // Grown once and filled in place: appending answer by answer checked the array's uniqueness and room each time.
        let start = answers.count
        answers.append(contentsOf: repeatElement(ResponseTable.missing, count: row.count))
        answers.withUnsafeMutableBufferPointer { table in
            for (i, a) in row.enumerated() {
                if let a { table[start + i] = a }
            }
        }
    }

    public func answer(row: Int, item: Int) -> Int16? {
        let v = answers[row * itemCount + item]
        return v == ResponseTable.missing ? nil : v
    }
}

/// All stored ideas (ideas are not period-bound: Compute filters by date), columnar.
public struct IdeaTable: Sendable {
    public static let noDay: Int32 = .min
    public var unit: [Int32] = []
    public var submitted: [Int32] = []
    public var implemented: [Int32] = []
    public var rejected: [Int32] = []
    public var submitter: [Int32] = []  // dense submitter number, -1 = unknown

    public init() {}

    public var count: Int { unit.count }

    /// Room for `count` ideas in every column (a loader that knows the count avoids growing 6M-row arrays by doubling).
    public mutating func reserveCapacity(_ count: Int) {
        unit.reserveCapacity(count)
        submitted.reserveCapacity(count)
        implemented.reserveCapacity(count)
        rejected.reserveCapacity(count)
        submitter.reserveCapacity(count)
    }

    public mutating func append(unit u: Int32, submitted s: Day, implemented i: Day?, rejected r: Day?, submitter: Int32 = -1) {
        unit.append(u)
        submitted.append(s.ordinal)
        implemented.append(i?.ordinal ?? IdeaTable.noDay)
        rejected.append(r?.ordinal ?? IdeaTable.noDay)
        self.submitter.append(submitter)
    }
}

/// A goal resolved onto a unit index.
public struct GoalRow: Sendable, Hashable {
    public var unit: Int32
    public var attainment: Double

    public init(unit: Int32, attainment: Double) {
        self.unit = unit
        self.attainment = attainment
    }
}
