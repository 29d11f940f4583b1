import Foundation
import LeanPulseCore

/// Writes reports into a fresh temporary folder beside the destination, then swaps it into place, so a
/// reader sees the old reports or the new ones, never half of each.
enum ReportPublisher {
    static func publish(to destination: String, write: (String) throws -> Void) throws(PipelineError) {
        let fm = FileManager.default
        let parent = PathResolver.directory(of: destination)
        let name = String(destination.split(separator: "/").last ?? "reports")
        let staging = parent + "/.\(name).tmp-\(getpid())"
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
            if fm.fileExists(atPath: staging) { try fm.removeItem(atPath: staging) }
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw PipelineError(.failed, "cannot create the report folder: \(error.localizedDescription)", at: SourceLocation(file: parent))
        }
        do {
            try write(staging)
        } catch {
            try? fm.removeItem(atPath: staging)
            if let error = error as? PipelineError { throw error }
            if let located = error as? any LocatedError { throw PipelineError(.failed, located.diagnostic, step: "render") }
            throw PipelineError(.failed, "writing the reports failed: \(error)", at: SourceLocation(file: destination), step: "render")
        }
        // Two renames: the old folder steps aside (kept until the new one is in place), the new one takes its name.
        var old: String?
        if fm.fileExists(atPath: destination) {
            let aside = parent + "/.\(name).old-\(getpid())"
            guard rename(destination, aside) == 0 else {
                try? fm.removeItem(atPath: staging)
                throw PipelineError(.failed, "cannot replace the reports: \(String(cString: strerror(errno)))", at: SourceLocation(file: destination))
            }
            old = aside
        }
        guard rename(staging, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            if let old { _ = rename(old, destination) }
            try? fm.removeItem(atPath: staging)
            throw PipelineError(.failed, "cannot publish the reports: \(reason)", at: SourceLocation(file: destination))
        }
        if let old { try? fm.removeItem(atPath: old) }
    }
}
