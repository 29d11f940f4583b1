import Foundation
import LeanPulseCore
import PostgresNIO

/// One connection to the PostgreSQL server on an event loop thread of its own, used synchronously: the store's
/// callers (the pipeline's stages) are synchronous, so each query's future is waited for on the calling thread.
///
/// `wait()` needs only the connection's own event loop, never Swift's cooperative thread pool, so a caller that is
/// itself on that pool (a test) cannot starve it; the caller is never the event loop (no deadlock). The connection goes
/// to the host the URL (or libpq's variables) named, and nowhere else.
final class PostgresSession: @unchecked Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let connection: PostgresConnection
    private let logger: Logger
    /// The URL without its password, for messages.
    let displayLocation: String

    init(_ settings: PostgresSettings) throws(StoreError) {
        displayLocation = settings.displayLocation
        var logger = Logger(label: "leanpulse-postgres")
        // Errors come back as thrown errors, turned into one message by the store: the client's log stays silent.
        logger.logLevel = .critical
        self.logger = logger
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            connection = try PostgresConnection.connect(on: group.next(), configuration: try settings.connectionConfiguration(),
                                                        id: 1, logger: logger).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw StoreError("cannot open the PostgreSQL store: \(Self.describe(error, connecting: true))", path: settings.displayLocation)
        }
        self.group = group
    }

    deinit { close() }

    /// Closes the connection and stops its thread (the server releases the session's advisory locks).
    func close() {
        if !connection.isClosed { _ = try? connection.close().wait() }
        try? group.syncShutdownGracefully()
    }

    /// Runs one statement with its values bound (`$1`, `$2`, ...: values never go into the SQL text) and returns its rows.
    /// A statement the server refuses (or a lost connection) throws a `StoreError` with the server's message: the client's
    /// own error prints a placeholder text, which must not reach the user.
    @discardableResult
    func query(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> [PostgresRow] {
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait().rows
        } catch let error as PSQLError {
            throw StoreError("the PostgreSQL store refused a statement: \(Self.describe(error))", path: displayLocation)
        }
    }

    /// Runs `body` between BEGIN and COMMIT; rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try query("BEGIN")
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    /// A client error as one line for the user: the server's message, or what kept the connection from being made.
    static func describe(_ error: any Error, connecting: Bool = false) -> String {
        guard let error = error as? PSQLError else {
            if let decoding = error as? PostgresDecodingError {
                return "unexpected column \(decoding.columnName) (\(decoding.postgresType)) in the store's PostgreSQL schema"
            }
            return String(describing: error)
        }
        if let info = error.serverInfo, let message = info[.message] {
            let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            // The detail of a refused row echoes its values (a comment, a pseudonym): kept out of logs.
            let detail = info[.detail].flatMap { $0.hasPrefix("Failing row contains") || $0.hasPrefix("Key (") ? nil : ": \($0)" } ?? ""
            return message + detail + state
        }
        switch error.code {
        case .authMechanismRequiresPassword:
            return "the server asks for a password: set PGPASSWORD or put it in ~/.pgpass (never in the pipeline file)"
        case .connectionError:
            let cause = error.underlying.map { " (\(Self.cause($0)))" } ?? ""
            return "no PostgreSQL server answers there\(cause): is it running, and are the host, port or socket folder right?"
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return connecting ? "the server closed the connection while it was being made" : "the connection to the server was lost"
        default:
            return error.underlying.map { String(describing: $0) } ?? "\(error.code)"
        }
    }
}

extension PostgresSession {
    /// Why a connection could not be made, in words (not the client library's type names).
    static func cause(_ error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        if let failure = error as? NIOConnectionError {
            if let first = failure.connectionErrors.first { return "\(first.target): \(cause(first.error))" }
            if failure.dnsAError != nil || failure.dnsAAAAError != nil { return "the host name \(failure.host) does not resolve" }
            return "\(failure.host):\(failure.port)"
        }
        if let channel = error as? ChannelError, case .connectTimeout = channel { return "no answer within the connect timeout" }
        return String(describing: error)
    }
}

/// The connection settings of a `PostgresURL`, with what it leaves out taken as libpq takes it: `PGHOST`, `PGPORT`,
/// `PGUSER`, `PGDATABASE`, `PGSSLMODE`, the password from `PGPASSWORD` or the password file (`PGPASSFILE`, else
/// `~/.pgpass`). The password never comes from the pipeline file (the configuration refuses one there).
struct PostgresSettings {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    var sslMode: PostgresURL.SSLMode
    var connectTimeout: Int
    var applicationName: String
    var displayLocation: String

    init(_ url: PostgresURL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        host = url.host ?? env("PGHOST") ?? "/var/run/postgresql"
        port = url.port ?? env("PGPORT").flatMap(Int.init) ?? 5432
        user = url.user ?? env("PGUSER") ?? Self.systemUser() ?? "postgres"
        database = url.database ?? env("PGDATABASE") ?? user
        let isSocket = host.hasPrefix("/")
        sslMode = url.sslMode ?? env("PGSSLMODE").flatMap(PostgresURL.SSLMode.init(rawValue:)) ?? (isSocket ? .disable : .prefer)
        connectTimeout = url.connectTimeout ?? env("PGCONNECT_TIMEOUT").flatMap(Int.init) ?? 10
        applicationName = url.applicationName ?? "leanpulse"
        displayLocation = url.redacted
        password = url.password ?? env("PGPASSWORD")
            ?? Self.passwordFromFile(env("PGPASSFILE") ?? env("HOME").map { $0 + "/.pgpass" },
                                     host: isSocket ? "localhost" : host, port: port, database: database, user: user)
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if host.hasPrefix("/") {
            configuration = .init(unixSocketPath: host + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch sslMode {
            case .disable:
                tls = .disable
            case .prefer, .require:
                // As libpq's prefer and require: encrypted, the server's certificate not checked.
                var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
                tlsConfiguration.certificateVerification = .none
                let context = try NIOSSLContext(configuration: tlsConfiguration)
                tls = sslMode == .prefer ? .prefer(context) : .require(context)
            case .verifyFull:
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(Int64(max(connectTimeout, 1)))
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        return configuration
    }

    private static func systemUser() -> String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }

    /// The password of the first matching line of a libpq password file (`host:port:database:user:password`, `*` matches
    /// anything, `\:` and `\\` escaped). libpq ignores a file that others can read; so does this.
    static func passwordFromFile(_ path: String?, host: String, port: Int, database: String, user: String) -> String? {
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o077 != 0 { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = [], field = "", escaped = false
            for c in line {
                if escaped {
                    field.append(c)
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == ":" && fields.count < 4 {
                    fields.append(field)
                    field = ""
                } else {
                    field.append(c)
                }
            }
            fields.append(field)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }
}
