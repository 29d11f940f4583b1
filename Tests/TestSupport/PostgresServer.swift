import Foundation

/// A real PostgreSQL server for one test: `initdb` into a temporary folder, `pg_ctl start` with its unix socket in
/// that folder and no TCP (`listen_addresses=''`), stopped and deleted by `stop()`. PostgreSQL refuses to run as
/// root: under root (CI), initdb and the server run as `nobody`, the folder given to it.
///
/// `let server = try PostgresServer()` then `defer { server.stop() }`; tests that need one are
/// `.enabled(if: PostgresServer.isAvailable)`.
public final class PostgresServer: @unchecked Sendable {
    /// The folder of `initdb`, `pg_ctl` and `createdb`: `LEANPULSE_PG_BIN`, else the newest /usr/lib/postgresql/N/bin.
    public static let binDirectory: String? = {
        let fm = FileManager.default
        func complete(_ folder: String) -> Bool {
            ["initdb", "pg_ctl", "createdb", "postgres"].allSatisfy { fm.isExecutableFile(atPath: folder + "/" + $0) }
        }
        if let folder = ProcessInfo.processInfo.environment["LEANPULSE_PG_BIN"], complete(folder) { return folder }
        let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).sorted(by: >)
        return versions.map { "/usr/lib/postgresql/\($0)/bin" }.first(where: complete)
    }()

    /// Whether tests can start a server here.
    public static var isAvailable: Bool { binDirectory != nil }

    /// The superuser the tests connect as (trusted on the socket: no password).
    public static let superuser = "leanpulse"

    /// The server's folder: its data, its log and its socket (`.s.PGSQL.5432`).
    public let root: String
    private let bin: String
    private let asRoot = getuid() == 0

    public init() throws {
        guard let bin = Self.binDirectory else { throw Failure("no PostgreSQL binaries (initdb, pg_ctl) found") }
        self.bin = bin
        // Short: a unix socket's path has at most 107 bytes.
        var template = Array("/tmp/lp-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure("cannot make a temporary folder") }
        root = String(cString: made)
        do {
            if asRoot {
                try run("/bin/chown", ["nobody:nogroup", root], asServerUser: false)
            }
            chmod(root, 0o755)
            try run(bin + "/initdb", ["-D", root + "/data", "-U", Self.superuser, "--auth=trust", "--encoding=UTF8",
                                      "--locale=C", "--no-sync", "--no-instructions"])
            try run(bin + "/pg_ctl", ["-D", root + "/data", "-l", root + "/server.log", "-w", "-t", "60", "-o",
                                      "-k \(root) -c listen_addresses='' -F -c max_connections=20 -c shared_buffers=16MB", "start"])
        } catch {
            stop()
            throw error
        }
    }

    /// A `postgresql://` URL of database `database` on this server (through its socket folder).
    public func url(database: String) -> String {
        "postgresql:///\(database)?host=\(root)&user=\(Self.superuser)"
    }

    /// Creates an empty database.
    public func createDatabase(_ name: String) throws {
        try run(bin + "/createdb", ["-h", root, "-U", Self.superuser, name], asServerUser: false)
    }

    /// Runs SQL through `psql` (for setting up what a test needs, such as a role with a password).
    public func psql(_ sql: String, database: String = "postgres") throws {
        try run(bin + "/psql", ["-h", root, "-U", Self.superuser, "-d", database, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
                asServerUser: false)
    }

    /// Stops the server at once and deletes its folder.
    public func stop() {
        if FileManager.default.fileExists(atPath: root + "/data/postmaster.pid") {
            try? run(bin + "/pg_ctl", ["-D", root + "/data", "-m", "immediate", "-w", "stop"])
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The server's log (for a failing test's message).
    public var log: String { (try? String(contentsOfFile: root + "/server.log", encoding: .utf8)) ?? "" }

    private func run(_ tool: String, _ arguments: [String], asServerUser: Bool = true) throws {
        let process = Process()
        if asRoot && asServerUser {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", tool] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        environment.removeValue(forKey: "PGPASSWORD")
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        // Into a file, not a pipe: the server that pg_ctl starts must not hold a pipe this process reads to its end.
        let outputPath = NSTemporaryDirectory() + "lp-pg-output-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        guard let output = FileHandle(forWritingAtPath: outputPath) else { throw Failure("cannot write \(outputPath)") }
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw Failure("\(tool) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(text)")
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
