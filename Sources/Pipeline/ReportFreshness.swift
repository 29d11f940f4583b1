import Foundation
import LeanPulseCore
import Store

/// Whether the published report of a period is already what this run would write, so that a re-run with
/// unchanged inputs (the quarterly cron job retried, a second pipeline on the same store) publishes nothing.
///
/// The fingerprint covers everything a report is computed from: the tool version, the pipeline and
/// instrument files (`configHash`), the organisation file, the `team_map` entries and the logo, the outputs
/// asked for, and the store's import ledger (ids and content hashes of all imports, so data of any period or
/// source imported since, by this pipeline or another, makes the report stale). It is written into
/// `manifest.json`; a run whose fingerprint equals the published manifest's skips compute and render.
struct ReportFreshness {
    let fingerprint: String

    init(context: PipelineContext, configHash: String, store: any HistoryStore) throws(PipelineError) {
        let config = context.config
        var parts = ["leanpulse \(LeanPulseVersion.current)", "config \(configHash)", "organization \(context.organizationHash)",
                     "period \(context.period)", "html \(config.html) csv \(config.csv)"]
        // A team_map may live in its own CSV file: its entries, not its path, count.
        parts.append("team_map " + config.teamMap.entries.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        // The logo is embedded when the file is loaded: its bytes, not its path, count.
        parts.append("branding \(config.branding.accent ?? "-") \(FileDigest.sha256(config.branding.logoDataURI ?? "-"))")
        do {
            parts.append("imports\n" + (try store.importLedger()))
        } catch {
            throw PipelineError(.failed, error.diagnostic, step: "store")
        }
        fingerprint = FileDigest.sha256(parts.joined(separator: "\n"))
    }

    /// True when `destination/manifest.json` records this fingerprint.
    func isPublished(at destination: String) -> Bool {
        let manifest = (destination as NSString).appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: manifest),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        guard object["fingerprint"] as? String == fingerprint else { return false }
        // The same inputs are not enough: every file the manifest lists must still be there, at its size (a report with a
        // page or an export deleted or cut is written again). One stat per file: about 0.1 s for 93k pages.
        guard let outputs = object["outputs"] as? [[String: Any]] else { return false }
        for output in outputs {
            guard let path = output["path"] as? String, let bytes = output["bytes"] as? Int, !path.hasPrefix("/"), !path.contains("..") else {
                return false
            }
            var info = stat()
            guard stat(destination + "/" + path, &info) == 0, Int(info.st_size) == bytes else { return false }
        }
        return true
    }
}

