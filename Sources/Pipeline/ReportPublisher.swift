import Foundation
import LeanPulseCore

/// Writes reports into a fresh temporary folder beside the destination, then swaps it into place, so a
/// reader sees the old reports or the new ones, never half of each.
enum ReportPublisher {
    /// Publishing replaces the whole report folder, so it must be one LeanPulse may replace: missing, empty, or an
    /// earlier report (its `manifest.json` says `"tool": "leanpulse"`); never a file, the store's folder, or a folder
    /// holding the pipeline's inputs. Checked with the configuration (exit 2), before anything is read or written.
    static func checkDestination(_ destination: String, config: PipelineConfig) throws(PipelineError) {
        let location = config.reportsDirLocation ?? SourceLocation(file: config.pipelinePath)
        let how = config.reportsDirLocation == nil ? "--out" : "reports.dir"
        func refuse(_ why: String) -> PipelineError {
            PipelineError(.invalidConfiguration, "\(how) '\(destination)' \(why); a run replaces the whole report folder, so give a new "
                          + "or empty folder (e.g. Reports/{period})", at: location, step: "configuration")
        }
        let dest = PathResolver.standardize(destination)
        func inside(_ path: String) -> Bool {
            let p = PathResolver.standardize(path)
            return p == dest || p.hasPrefix(dest == "/" ? "/" : dest + "/")
        }
        if dest == "/" { throw refuse("is the root folder") }
        if case .sqlite(let store) = config.storeLocation, inside(store) { throw refuse("holds the store \(store)") }
        for (what, path) in [("the pipeline file", config.pipelinePath), ("the instrument", config.instrumentPath),
                             ("the organisation file", config.teamsPath)] where inside(path) {
            throw refuse("holds \(what) \(path)")
        }
        for source in config.sources where inside(PathResolver.directory(of: source.path)) || inside(source.path) {
            throw refuse("holds the files of source '\(source.id)' (\(source.path))")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dest, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else { throw refuse("is a file, not a folder") }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: dest)) ?? []
        guard !entries.isEmpty else { return }
        if isLeanPulseManifest(dest + "/manifest.json") { return }
        throw refuse("is a folder of other files (\(entries.count), no LeanPulse manifest.json)")
    }

    /// Whether the file is a LeanPulse manifest: it opens with `"tool": "leanpulse"` (the first key the writer writes).
    /// Only the first bytes are read: a report of 93k pages has an 8 MB manifest, and parsing it here cost 0.6 s a run.
    static func isLeanPulseManifest(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 256) else { return false }
        let text = String(decoding: head, as: UTF8.self)
        return text.range(of: #"^\{\s*"tool"\s*:\s*"leanpulse""#, options: .regularExpression) != nil
    }

    /// Fails when a report cannot be published at `destination`: a folder is made and removed beside it, where the
    /// publish will write (a read-only or immutable folder, a missing permission). Run before the import, so that a
    /// report folder the run cannot write does not leave the store changed behind an exit 1. (A disk that fills up
    /// while the pages are written still fails after the import: the import is committed before the render.)
    static func checkWritable(_ destination: String) throws(PipelineError) {
        let fm = FileManager.default
        let parent = PathResolver.directory(of: destination)
        let probe = parent + "/.\(folderName(destination)).probe-\(getpid())"
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: probe, withIntermediateDirectories: false)
            try fm.removeItem(atPath: probe)
        } catch {
            throw PipelineError(.failed, "cannot write the report folder: \(error.localizedDescription)", at: SourceLocation(file: parent),
                                step: "configuration")
        }
    }

    /// What would make `checkWritable` fail, found without writing anything (`validate` writes nothing): the nearest
    /// existing folder on the way to the report folder must be one this process may create entries in (a read-only file
    /// system, a missing permission, or a file where a folder should be fail). Nil when it can.
    static func writeProblem(_ destination: String) -> String? {
        let fm = FileManager.default
        var path = PathResolver.directory(of: destination)
        var isDirectory: ObjCBool = false
        while !fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            let up = (path as NSString).deletingLastPathComponent
            guard up != path, !up.isEmpty else { return nil }
            path = up
        }
        guard isDirectory.boolValue else { return "\(path) is a file, not a folder" }
        guard access(path, W_OK | X_OK) == 0 else { return "\(path): \(String(cString: strerror(errno)))" }
        return nil
    }

    /// Writes the report through `write` into a staging folder and swaps it into place. True when the report it replaced
    /// is large and a background process is removing it (`discard`), false when there was none or it is removed already.
    @discardableResult
    static func publish(to destination: String, write: (String) throws -> Void) throws(PipelineError) -> Bool {
        let fm = FileManager.default
        let parent = PathResolver.directory(of: destination)
        let name = folderName(destination)
        let staging = parent + "/.\(name).tmp-\(getpid())"
        removeLeftovers(of: name, in: parent, destination: destination)
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
        // One atomic exchange where the kernel offers it (renameat2 RENAME_EXCHANGE): the destination is the old report,
        // then the new one, never missing; the old one is then in the staging folder and is deleted.
        if fm.fileExists(atPath: destination), exchange(staging, destination) {
            return discard(staging)
        }
        // Else two renames: the old folder steps aside (kept until the new one is in place), the new one takes its name.
        // A run that dies between them leaves the old report aside; the next run puts it back (`removeLeftovers`).
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
        return old.map { discard($0) } ?? false
    }

    /// Above this many entries in a report's `teams/`, a replaced report is removed in the background.
    static let backgroundRemovalThreshold = 2_000

    /// Removes a folder publishing no longer needs (the replaced report, a dead run's staging folder). A large one is
    /// handed to a detached `rm -rf` and its `teams/` entry count returned: deleting a 1M organisation's 94k pages took
    /// 18-25 s on this machine's ext4 (mounted with `discard`), all after the new report was in place, and a run's
    /// exit waited for it (a re-run after fixing one export took 66 s against 40 s for the first; session 19). The
    /// remover runs in a session of its own, so the end of the run, its terminal or its cron job does not stop it; a
    /// machine that stops first leaves the folder, which the next publish beside it removes (`removeLeftovers`).
    /// Small folders, or where the remover cannot be started, are removed here. True when a background process removes it.
    @discardableResult
    static func discard(_ path: String, threshold: Int = backgroundRemovalThreshold) -> Bool {
        if entryCount(path + "/teams", upTo: threshold + 1) > threshold, removeInBackground(path) { return true }
        try? FileManager.default.removeItem(atPath: path)
        return false
    }

    /// The entries of `folder` other than `.` and `..` (0 when it cannot be read), counted up to `limit`.
    static func entryCount(_ folder: String, upTo limit: Int) -> Int {
        guard let dir = opendir(folder) else { return 0 }
        defer { closedir(dir) }
        var count = 0
        while count < limit, let entry = readdir(dir) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return count
    }

    /// Starts `rm -rf -- path` in a new session (`setsid`), through a shell that puts it in the background and exits at
    /// once (so that no child of this process is left to reap); false when it could not be started.
    private static func removeInBackground(_ path: String) -> Bool {
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        guard posix_spawnattr_init(&attributes) == 0 else { return false }
        defer { posix_spawnattr_destroy(&attributes) }
        guard posix_spawn_file_actions_init(&actions) == 0 else { return false }
        defer { posix_spawn_file_actions_destroy(&actions) }
        // POSIX_SPAWN_SETSID (glibc 2.26, 0x80): Swift's Glibc module does not import the macro.
        let setsid: Int16 = 0x80
        guard posix_spawnattr_setflags(&attributes, setsid) == 0 else { return false }
        for fd: Int32 in [0, 1, 2] {
            guard posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) == 0 else { return false }
        }
        let arguments = ["sh", "-c", "rm -rf -- \"$1\" &", "sh", path]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, environ) == 0 else { return false }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        return (status & 0x7f) == 0 && ((status >> 8) & 0xff) == 0
    }

    /// Swaps two paths atomically with Linux's `renameat2(..., RENAME_EXCHANGE)`, looked up at run time (glibc 2.28 and
    /// later; Swift's Glibc module does not declare it). False where the call or the file system does not offer it.
    static func exchange(_ a: String, _ b: String) -> Bool {
        guard let renameAt2 else { return false }
        let renameExchange: UInt32 = 1 << 1
        return renameAt2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    /// glibc's `renameat2`, looked up once (nil where the C library lacks it).
    private static let renameAt2: RenameAt2? = {
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()

    /// The report folder's own name (`2026-Q3`), which its staging and probe folders beside it carry.
    static func folderName(_ destination: String) -> String {
        String(destination.split(separator: "/").last ?? "reports")
    }

    /// What a run killed while publishing left beside the destination: its staging folder (`.NAME.tmp-PID`), deleted,
    /// and the old report it had set aside (`.NAME.old-PID`), put back when the destination is missing (else deleted).
    /// Only folders of processes that are gone: a run publishing beside this one is left alone.
    static func removeLeftovers(of name: String, in parent: String, destination: String) {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries.sorted() {
            let isStaging = entry.hasPrefix(".\(name).tmp-") || entry.hasPrefix(".\(name).probe-")
            let isAside = entry.hasPrefix(".\(name).old-")
            guard isStaging || isAside, let pid = Int32(entry.split(separator: "-").last ?? ""), pid != getpid() else { continue }
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }
            let path = parent + "/" + entry
            if isAside, !fm.fileExists(atPath: destination), rename(path, destination) == 0 { continue }
            discard(path)
        }
    }
}
