import Foundation
import LeanPulseCore

/// Writes a realistic, fictional and deterministic sample: organisation, quarterly survey exports
/// (Qualtrics CSV, or another tool's layout with a pipeline file to run them), an ideas log and goals (see `SampleData/README.md` for what each file holds and its traps).
public enum SampleGenerator {
    /// Writes the sample files into `directory` (created if needed) and returns their paths relative to it. A file
    /// already there with other bytes (a pipeline file the user edited, another seed's export) is not overwritten
    /// unless `replacing`: the call writes nothing and throws `wouldReplace`. The same bytes again are fine.
    public static func write(to directory: String, options: SampleOptions = SampleOptions(), replacing: Bool = false) throws -> [String] {
        try options.validate()
        let files = files(options: options)
        if !replacing {
            let base = URL(fileURLWithPath: directory, isDirectory: true)
            let differing = files.filter { file in
                guard let existing = FileManager.default.contents(atPath: base.appendingPathComponent(file.path).path) else {
                    return FileManager.default.fileExists(atPath: base.appendingPathComponent(file.path).path)
                }
                return Array(existing) != file.bytes
            }
            guard differing.isEmpty else { throw SampleError.wouldReplace(directory: directory, paths: differing.map(\.path)) }
        }
        var written: [String] = []
        for (path, bytes) in files {
            try write(bytes, to: directory, path)
            written.append(path)
        }
        return written
    }

    /// The sample as relative path and bytes, in the order `write` writes them (no file system access).
    public static func files(options: SampleOptions = SampleOptions()) -> [(path: String, bytes: [UInt8])] {
        let org = SampleOrganization(employees: options.employees)
        var files: [(path: String, bytes: [UInt8])] = []
        files.append(("org/teams.csv", Array(teamsCSV(organization: org).utf8)))
        for (index, period) in options.periods.enumerated() {
            let responses = surveyResponses(organization: org, period: period, index: index, options: options)
            files += surveyFiles(responses, period: period, options: options)
        }
        files.append(("ideas/ideas.xml", Array(ideasXML(organization: org, options: options).utf8)))
        files.append(("goals/goals.csv", Array(goalsCSV(organization: org, options: options).utf8)))
        // Qualtrics CSV is what Pipelines/quarterly.yml reads; any other layout needs a pipeline file of its own.
        if options.format != .qualtricsCSV {
            files.append(("pipeline.yml", Array(pipelineYAML(options: options).utf8)))
            files.append(("instrument.yml", Array(instrumentYAML().utf8)))
        }
        return files
    }

    /// `org/teams.csv`: parents before children; headcount is the unit's own members.
    static func teamsCSV(organization org: SampleOrganization) -> String {
        var text = SampleText.csvRow(["team_id", "parent_id", "name", "headcount"], lineEnd: "\n")
        for unit in org.units {
            text += SampleText.csvRow([unit.id, unit.parentId ?? "", unit.name, String(unit.headcount)], lineEnd: "\n")
        }
        return text
    }

    private static func write(_ bytes: [UInt8], to directory: String, _ relative: String) throws(SampleError) {
        let url = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent(relative)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw .writeFailed(path: url.path, reason: String(describing: error))
        }
    }
}
