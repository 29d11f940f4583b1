import Foundation
import LeanPulseCore
#if canImport(Glibc)
import Glibc
#endif

/// `leanpulse bench-ingest pipeline.yml`: the Ingest and Normalize stages alone (read, parse, normalize; no store),
/// on the calling thread only, for every file of every source; prints MB/s per file and the process's peak RSS.
/// A measurement tool (Benchmarks/ingest_bench.py drives it), not part of a run: nothing is written.
public enum IngestBenchmark {
    public struct Figure: Sendable {
        public var source: String
        public var file: String
        public var bytes: Int64
        public var records: Int
        public var accepted: Int
        public var seconds: Double
        public var cpuSeconds: Double
        public var megabytesPerSecond: Double { Double(bytes) / 1e6 / max(seconds, 1e-9) }
        public var megabytesPerCPUSecond: Double { Double(bytes) / 1e6 / max(cpuSeconds, 1e-9) }
    }

    /// Measures `sources` (all when empty) of the pipeline file; `repeats` times each file, keeping the fastest.
    public static func measure(options: RunOptions, sources: [String], repeats: Int, log: RunLog) throws(PipelineError) -> [Figure] {
        let context = try PipelineContext.load(options, requireKey: true, log: log)
        var figures: [Figure] = []
        for source in context.config.sources where sources.isEmpty || sources.contains(source.id) {
            for path in PathResolver.expand(source.path) where FileManager.default.fileExists(atPath: path) {
                let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
                var best: Figure?
                for _ in 0..<max(repeats, 1) {
                    let figure = try once(source, path: path, bytes: bytes, context: context)
                    if best == nil || figure.seconds < best!.seconds { best = figure }
                }
                figures.append(best!)
            }
        }
        return figures
    }

    private static func once(_ source: SourceConfig, path: String, bytes: Int64, context: PipelineContext) throws(PipelineError) -> Figure {
        let startCPU = cpuTime()
        let start = DispatchTime.now().uptimeNanoseconds
        let records: Int
        let accepted: Int
        do {
            let reader = try SourceReading.open(source: source, file: path,
                                                fieldPaths: SourceReading.fieldPaths(for: source, instrument: context.instrument))
            var normalizer = try SourceNormalizer(source: source, header: reader.header, context: context)
            try normalizer.normalizeAll(reader) { _ in }
            (records, accepted) = (normalizer.tally.read, normalizer.tally.accepted)
        } catch let error as Diagnostic {
            throw PipelineError(.failed, error, step: "ingest")
        } catch let error as any LocatedError {
            throw PipelineError(.failed, error.diagnostic, step: "ingest")
        } catch {
            throw PipelineError(.failed, "source '\(source.id)': \(error)", at: source.location, step: "ingest")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Figure(source: source.id, file: path, bytes: bytes, records: records, accepted: accepted, seconds: seconds,
                      cpuSeconds: cpuTime() - startCPU)
    }

    /// CPU seconds (user + system) of this thread: the figure the shared 2-core machines can measure steadily.
    static func cpuTime() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The process's peak resident set in MiB.
    public static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// The table `bench-ingest` prints.
    public static func table(_ figures: [Figure]) -> String {
        var lines = ["| source | file | MB | records | wall s | MB/s | CPU s | MB/s per CPU s |", "|---|---|---:|---:|---:|---:|---:|---:|"]
        for f in figures {
            lines.append("| \(f.source) | \((f.file as NSString).lastPathComponent) | " + String(format: "%.1f", Double(f.bytes) / 1e6)
                         + " | \(f.records) | " + String(format: "%.2f | %.0f | %.2f | %.0f |", f.seconds, f.megabytesPerSecond,
                                                          f.cpuSeconds, f.megabytesPerCPUSecond))
        }
        lines.append(String(format: "peak RSS %.0f MiB", peakRSSMegabytes()))
        return lines.joined(separator: "\n")
    }
}
