import Foundation
import LeanPulseCore
import SampleGenerator

/// `leanpulse sample`: writes the fictional organisation's exports.
public enum SampleCommand {
    public static let employeeRange = SampleOptions.employeeRange

    /// The `--format` values: the survey export layouts the generator writes (the first is the default).
    public static let formats = SampleSurveyFormat.allCases.map(\.rawValue)

    /// Why `format` is not accepted, listing the accepted ones; nil when it is one of them.
    public static func formatProblem(_ format: String) -> String? {
        guard SampleSurveyFormat(rawValue: format) == nil else { return nil }
        return "--format '\(format)' is not a survey export layout the sample can write; use one of: \(SampleSurveyFormat.names)"
    }

    public static func write(out: String, employees: Int, quarters: Int, seed: UInt64,
                             format: String = SampleSurveyFormat.qualtricsCSV.rawValue, replacing: Bool = false) -> ExitCode {
        let log = RunLog()
        guard let surveyFormat = SampleSurveyFormat(rawValue: format) else {
            log.error(Diagnostic(.error, formatProblem(format) ?? format, at: SourceLocation(file: out)), stage: "sample")
            return .invalidConfiguration
        }
        do {
            var options = SampleOptions()
            options.employees = employees
            options.quarters = quarters
            options.seed = seed
            options.format = surveyFormat
            let directory = PathResolver.absolute(out, relativeTo: FileManager.default.currentDirectoryPath)
            let files = try SampleGenerator.write(to: directory, options: options, replacing: replacing)
            log.info("sample", "wrote \(files.count) files into \(directory)")
            return .published
        } catch let error as SampleError {
            log.error(Diagnostic(.error, error.message, at: SourceLocation(file: error.path ?? out)), stage: "sample")
        } catch {
            log.error(Diagnostic(.error, "cannot write the sample: \(error)", at: SourceLocation(file: out)), stage: "sample")
        }
        return .failed
    }
}
