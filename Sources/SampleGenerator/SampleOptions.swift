import LeanPulseCore

/// What `leanpulse sample` generates: organisation size, how many quarters, the last one, the seed and the export layout.
public struct SampleOptions: Sendable, Hashable {
    /// Employees in the organisation (the sum of all units' own headcounts).
    public var employees: Int
    /// Number of quarterly survey exports, ending at `lastQuarter`.
    public var quarters: Int
    /// The most recent surveyed quarter.
    public var lastQuarter: Period
    /// Same seed, same options: byte-identical files.
    public var seed: UInt64
    /// The layout of the pulse exports; any other than Qualtrics CSV also gets a pipeline file to run them.
    public var format: SampleSurveyFormat

    public init(employees: Int = 240, quarters: Int = 4,
                lastQuarter: Period = Period(year: 2026, quarter: 3), seed: UInt64 = 7,
                format: SampleSurveyFormat = .qualtricsCSV) {
        self.employees = employees
        self.quarters = quarters
        self.lastQuarter = lastQuarter
        self.seed = seed
        self.format = format
    }

    /// Smallest and largest organisation the generator builds.
    public static let employeeRange = 40...100_000
    public static let quarterRange = 1...40

    /// The surveyed quarters, oldest first.
    public var periods: [Period] {
        var result = [lastQuarter]
        while result.count < quarters { result.insert(result[0].previous, at: 0) }
        return result
    }

    /// Throws `SampleError.invalidOption` when a value is outside what the generator supports.
    public func validate() throws(SampleError) {
        guard SampleOptions.employeeRange.contains(employees) else {
            throw .invalidOption("--employees must be between \(SampleOptions.employeeRange.lowerBound) and \(SampleOptions.employeeRange.upperBound), not \(employees)")
        }
        guard SampleOptions.quarterRange.contains(quarters) else {
            throw .invalidOption("--quarters must be between \(SampleOptions.quarterRange.lowerBound) and \(SampleOptions.quarterRange.upperBound), not \(quarters)")
        }
        guard lastQuarter.year - (quarters + 3) / 4 >= 1 else {
            throw .invalidOption("--quarters \(quarters) reaches before year 1")
        }
    }
}

/// Why the sample could not be written.
public enum SampleError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidOption(String)
    case writeFailed(path: String, reason: String)
    /// Files of the folder the sample would overwrite with other bytes (the user's own, or another sample's).
    case wouldReplace(directory: String, paths: [String])

    public var description: String {
        switch self {
        case .invalidOption(let message): "leanpulse: error: \(message)"
        case .writeFailed(let path, _), .wouldReplace(let path, _): "\(path): error: \(message)"
        }
    }

    /// The message without its location.
    public var message: String {
        switch self {
        case .invalidOption(let message): message
        case .writeFailed(_, let reason): "cannot write the sample file: \(reason)"
        case .wouldReplace(_, let paths):
            "\(paths.count) file\(paths.count == 1 ? "" : "s") there would be overwritten with other content ("
                + paths.prefix(5).joined(separator: ", ") + (paths.count > 5 ? ", ..." : "")
                + "): nothing was written; choose another folder, or add --replace"
        }
    }

    /// Where the problem is: the file or folder, nil for an option.
    public var path: String? {
        switch self {
        case .invalidOption: nil
        case .writeFailed(let path, _), .wouldReplace(let path, _): path
        }
    }
}
