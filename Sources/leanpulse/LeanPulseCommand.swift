import ArgumentParser
import Foundation
import LeanPulseCore
import Pipeline

/// The `leanpulse` command: a thin shell over the Pipeline library.
@main
struct LeanPulseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leanpulse",
        abstract: "Turns survey exports and improvement logs into the quarterly Lean leadership report.",
        version: LeanPulseVersion.current,
        subcommands: [Run.self, Validate.self, Sample.self, BenchIngest.self]
    )

    /// ArgumentParser exits 64 on a usage error; the contract says 2.
    static func main() {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            // With `--log-format json` a usage error is a JSON line too (a log collector reads every line).
            if code == .validationFailure, Self.wantsJSONLog(CommandLine.arguments) {
                RunLog(format: .json).error(Diagnostic(.error, message(for: error)), stage: "command line")
                Foundation.exit(2)
            }
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
        // The commands report their own errors (as JSON lines where asked) and end with the contract's exit code.
        do { try command.run() } catch { exit(withError: error) }
    }
}

extension LeanPulseCommand {
    /// Whether the command line asks for JSON log lines (`--log-format json` or `--log-format=json`), read before
    /// parsing succeeded.
    static func wantsJSONLog(_ arguments: [String]) -> Bool {
        zip(arguments, arguments.dropFirst()).contains { $0 == "--log-format" && $1 == "json" } || arguments.contains("--log-format=json")
    }
}

/// Options every pipeline command shares.
struct PipelineOptions: ParsableArguments {
    @Argument(help: "The pipeline file (YAML). Relative paths in it resolve against its folder.")
    var pipeline: String

    @Option(help: "The period: 2026-Q3, previous-quarter or current-quarter (overrides the file).")
    var period: String?

    @Flag(help: "Print errors only (for cron).")
    var quiet = false

    @Option(help: "Log format: text or json.")
    var logFormat: String = "text"

    func validate() throws {
        guard RunLog.Format(rawValue: logFormat) != nil else { throw ValidationError("--log-format must be text or json") }
        if let period, Period.resolve(period, today: Day(ordinal: 0)) == nil {
            throw ValidationError("--period must be a quarter like 2026-Q3, previous-quarter or current-quarter")
        }
    }

    var log: RunLog { RunLog(format: RunLog.Format(rawValue: logFormat) ?? .text, quiet: quiet) }
}

extension LeanPulseCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import the sources, compute the period's metrics and publish the reports.",
            discussion: "Exit codes: 0 published; 1 failed, nothing published; 2 invalid command line or pipeline file; "
                + "3 published, but the data-quality gate was exceeded; 75 another run holds the store's lock.")

        @OptionGroup var common: PipelineOptions

        @Option(help: "The report folder ({period} is replaced), instead of the file's reports.dir.")
        var out: String?

        @Option(help: "The store instead of the file's: a SQLite file, or a postgresql:// URL (the password from PGPASSWORD or ~/.pgpass).")
        var store: String?

        func run() throws {
            // Ctrl-C, SIGTERM and SIGHUP stop the run cleanly (nothing published, store as the run leaves it);
            // a second one ends it at once.
            Interruption.installSignalHandlers()
            let options = RunOptions(pipelinePath: common.pipeline, period: common.period, out: out, store: store,
                                     quiet: common.quiet, logFormat: RunLog.Format(rawValue: common.logFormat) ?? .text,
                                     interruption: .process)
            let code = PipelineRunner(options: options, log: common.log).run()
            if code != .published { throw ArgumentParser.ExitCode(code.rawValue) }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the pipeline file and every input as a run would; write nothing.")

        @OptionGroup var common: PipelineOptions

        func run() throws {
            let options = RunOptions(pipelinePath: common.pipeline, period: common.period, quiet: common.quiet,
                                     logFormat: RunLog.Format(rawValue: common.logFormat) ?? .text)
            let code = PipelineValidator(options: options, log: common.log).validate()
            if code != .published { throw ArgumentParser.ExitCode(code.rawValue) }
        }
    }

    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a fictional organisation's exports (surveys, ideas, goals) for trying LeanPulse out.")

        @Option(help: "The folder to write into.")
        var out: String

        @Option(help: "Number of employees.")
        var employees: Int = 240

        @Option(help: "Number of quarters of pulse surveys, ending with the last complete quarter.")
        var quarters: Int = 4

        @Option(help: "Random seed (same seed, same files).")
        var seed: UInt64 = 7

        @Option(help: ArgumentHelp("Survey export format: \(SampleCommand.formats.joined(separator: ", ")). Any but qualtrics-csv also writes DIR/pipeline.yml and DIR/instrument.yml to run the sample.", valueName: "format"))
        var format: String = SampleCommand.formats[0]

        @Flag(help: "Overwrite files in the folder that hold other content (by default the sample writes nothing then).")
        var replace = false

        func validate() throws {
            guard SampleCommand.employeeRange.contains(employees) else { throw ValidationError("--employees must be between \(SampleCommand.employeeRange.lowerBound) and \(SampleCommand.employeeRange.upperBound)") }
            guard (1...40).contains(quarters) else { throw ValidationError("--quarters must be between 1 and 40") }
            if let problem = SampleCommand.formatProblem(format) { throw ValidationError(problem) }
        }

        func run() throws {
            let code = SampleCommand.write(out: out, employees: employees, quarters: quarters, seed: seed, format: format,
                                           replacing: replace)
            if code != .published { throw ArgumentParser.ExitCode(code.rawValue) }
        }
    }
}
