import LeanPulseCore

extension ReportWriter {
    /// `manifest.json`: what was read, with which settings, what came out. Output files are listed with
    /// their byte sizes (Render has no hashing dependency); the manifest does not list itself.
    static func manifestJSON(_ input: ReportInput, outputs: [(path: String, bytes: Int)], renderSeconds: Double) -> String {
        let units = input.metrics.units
        let below = units.filter { $0.suppression == .belowMinimum }.count
        let complementary = units.filter { $0.suppression == .complementary }.count
        var bySeverity: [Severity: Int] = [:]
        for f in input.findings { bySeverity[f.severity, default: 0] += 1 }
        let s = input.settings

        var timings: [JSONText] = input.timings.map {
            .object([("stage", .string($0.stage)), ("seconds", .double($0.seconds))])
        }
        timings.append(.object([("stage", .string("render")), ("seconds", .double(renderSeconds))]))

        let value = JSONText.object([
            ("tool", .string("leanpulse")),
            ("toolVersion", .string(input.toolVersion)),
            ("pipeline", .string(input.pipelineName)),
            ("title", .string(input.title)),
            ("period", .string(input.metrics.period.description)),
            ("generatedAt", .string(input.generatedAt)),
            ("configHash", .string(input.configHash)),
            ("fingerprint", input.fingerprint.map { .string($0) } ?? .null),
            ("instrument", .object([("id", .string(input.instrument.id)), ("version", .string(input.instrument.version))])),
            ("settings", .object([
                ("minRespondents", .int(s.minRespondents)),
                ("minCommentRespondents", .int(s.minCommentRespondents)),
                ("favorableAggregation", .string(s.favorableAggregation.rawValue)),
                ("strengthThreshold", .double(s.strengthThreshold)),
                ("cycleTimeInclusive", .bool(s.cycleTimeInclusive)),
                ("relativeWeights", .bool(s.relativeWeights)),
            ])),
            ("inputs", .array(input.inputs.map {
                .object([("source", .string($0.source)), ("path", .string($0.path)), ("sha256", .string($0.sha256)),
                         ("bytes", .int(Int($0.bytes)))])
            })),
            ("importCounts", .array(input.importCounts.map {
                .object([("source", .string($0.source)), ("file", .string($0.file)), ("sha256", .string($0.sha256)),
                         ("read", .int($0.read)), ("accepted", .int($0.accepted)), ("rejected", .int($0.rejected)),
                         ("superseded", .int($0.superseded)), ("unchanged", .bool($0.unchanged))])
            })),
            ("counts", .object([
                ("units", .int(units.count)),
                ("suppressedUnits", .int(below + complementary)),
                ("suppressedBelowMinimum", .int(below)),
                ("suppressedComplementary", .int(complementary)),
                ("findings", .object([
                    ("error", .int(bySeverity[.error] ?? 0)),
                    ("warning", .int(bySeverity[.warning] ?? 0)),
                    ("info", .int(bySeverity[.info] ?? 0)),
                ])),
            ])),
            ("timings", .array(timings)),
            ("outputs", .array(outputs.sorted { $0.path < $1.path }.map {
                .object([("path", .string($0.path)), ("bytes", .int($0.bytes))])
            })),
        ])
        return value.text
    }
}
