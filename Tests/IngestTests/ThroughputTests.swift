import Foundation
import Ingest
import Testing

/// Throughput of the CSV reader over generated data, run only on request:
/// `LEANPULSE_INGEST_BENCH=/tmp/benchdata/e100k swift test -c release --filter ThroughputTests`
/// (data from `python3 shared/bench/gen.py --employees 100000 --seed 42 --out /tmp/benchdata/e100k --no-xml`).
@Suite struct ThroughputTests {
    static let folder = ProcessInfo.processInfo.environment["LEANPULSE_INGEST_BENCH"]

    @Test(.enabled(if: folder != nil, "set LEANPULSE_INGEST_BENCH to a folder of generated data"))
    func csvReaderMegabytesPerSecond() throws {
        let folder = try #require(Self.folder)
        var bytes = 0
        var seconds = 0.0
        for name in ["survey.csv", "ideas.csv"] {
            let path = "\(folder)/\(name)"
            guard let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int else { continue }
            let clock = ContinuousClock()
            var fields = 0
            var characters = 0
            let elapsed = try clock.measure {
                let reader = try CSVReader(path: path)
                while let row = try reader.nextRow() {
                    fields += row.count
                    for index in 0..<row.count { characters &+= row.string(at: index).utf8.count }
                }
            }
            let time = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("\(name): \(size) bytes, \(fields) fields, \(Int(Double(size) / time / 1e6)) MB/s")
            bytes += size
            seconds += time
        }
        #expect(bytes > 0)
        print("CSVReader: \(Int(Double(bytes) / seconds / 1e6)) MB/s over \(bytes) bytes")
    }
}
