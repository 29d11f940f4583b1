import Foundation
import LeanPulseCore
import SampleGenerator

/// `leanpulse sample`: writes the fictional organisation's exports.
public enum SampleCommand {
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
        } catch let error as Diagnostic {
            log.error(error, stage: "sample")
        } catch let error as any LocatedError {
            log.error(error.diagnostic, stage: "sample")
        } catch {
            log.error(Diagnostic(.error, "cannot write the sample: \(error.localizedDescription)", at: SourceLocation(file: out)), stage: "sample")
        }
        return .failed
    }
}
