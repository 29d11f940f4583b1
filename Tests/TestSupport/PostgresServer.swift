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

    /// Runs a tool and waits for it with `posix_spawn` and `waitpid`: Foundation's `Process` waited for ever on
    /// `pg_ctl start` once the server it leaves running had inherited what it watches.
    private func run(_ tool: String, _ arguments: [String], asServerUser: Bool = true) throws {
        // In the server's folder (the server's user may not enter the test's working directory).
        let inFolder = ["/usr/bin/env", "-C", root, tool] + arguments
        let argv = asRoot && asServerUser
            ? ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] + inFolder
            : inFolder
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        environment.removeValue(forKey: "PGPASSWORD")
        let outputPath = NSTemporaryDirectory() + "lp-pg-output-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in cArguments + cEnvironment { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, cEnvironment)
        guard spawned == 0 else { throw Failure("cannot start \(argv[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // Exited normally with 0 (the wait status's low 7 bits are the signal, the next 8 the exit code).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw Failure("\(tool) \(arguments.joined(separator: " ")) failed (wait status \(status)): \(text)")
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
