import ArgumentParser
import Foundation
import Pipeline

extension LeanPulseCommand {
    /// Hidden: the ingest benchmark (Benchmarks/ingest_bench.py). Read, parse and normalize only, one core, no store.
    struct BenchIngest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-ingest",
            abstract: "Measure read + parse + normalize of each source file (one core, nothing stored).",
            shouldDisplay: false)

        @OptionGroup var common: PipelineOptions

        @Option(help: "Only this source (repeatable).")
        var source: [String] = []

        @Option(help: "Measure each file this many times and keep the fastest.")
        var repeats: Int = 1

        func run() throws {
            let options = RunOptions(pipelinePath: common.pipeline, period: common.period, quiet: true)
            do {
                let figures = try IngestBenchmark.measure(options: options, sources: source, repeats: repeats, log: common.log)
                print(IngestBenchmark.table(figures))
            } catch {
                common.log.error(error.diagnostic)
                throw ArgumentParser.ExitCode(1)
            }
        }
    }
}
