import Foundation
import LeanPulseCore
import SampleGenerator

/// `leanpulse sample`: writes the fictional organisation's exports.
public enum SampleCommand {
    public static let employeeRange = SampleOptions.employeeRange

    public static func write(out: String, employees: Int, quarters: Int, seed: UInt64) -> ExitCode {
        let log = RunLog()
        do {
            var options = SampleOptions()
            options.employees = employees
            options.quarters = quarters
            options.seed = seed
            let directory = PathResolver.absolute(out, relativeTo: FileManager.default.currentDirectoryPath)
            let files = try SampleGenerator.write(to: directory, options: options)
            log.info("sample", "wrote \(files.count) files into \(directory)")
            return .published
        } catch let error as SampleError {
            log.error(Diagnostic(.error, error.description.replacingAll("leanpulse: error: ", with: ""), at: SourceLocation(file: out)), stage: "sample")
        } catch {
            log.error(Diagnostic(.error, "cannot write the sample: \(error)", at: SourceLocation(file: out)), stage: "sample")
        }
        return .failed
    }
}
