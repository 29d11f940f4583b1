import Foundation

/// A libpq-style connection URL: `postgresql://[user[:password]@][host][:port][/database][?param=value&...]`.
///
/// A host that is a folder (`?host=/run/postgresql`, or a percent-encoded `/` first in the authority) means the
/// unix socket `<folder>/.s.PGSQL.<port>` there. Parameters: `host`, `port`, `user`, `dbname`, `sslmode`
/// (`disable`, `prefer`, `require`, `verify-full`), `connect_timeout` (seconds), `application_name`. What the URL leaves
/// out comes from libpq's variables when the store is opened (`PGUSER`, `PGPORT`, `PGDATABASE`, `PGPASSWORD`, `~/.pgpass`).
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    /// Why a URL cannot be used (the message never shows its password).
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public enum SSLMode: String, Sendable, Equatable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    /// The TCP host name or address, or the unix socket's folder (starts with `/`); nil: not given.
    public var host: String?
    public var port: Int?
    public var user: String?
    /// Only when the URL itself holds one (`user:password@`).
    public var password: String?
    public var database: String?
    public var sslMode: SSLMode?
    public var connectTimeout: Int?
    public var applicationName: String?
    /// The URL as given, without its password: for messages and logs.
    public let redacted: String

    public var description: String { redacted }

    /// Whether the host is a unix socket folder.
    public var isUnixSocket: Bool { host?.hasPrefix("/") ?? false }

    /// Whether `text` names a PostgreSQL server (its scheme), whatever else it holds.
    public static func isPostgresURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    public init(parsing text: String) throws(Invalid) {
        guard let separator = text.range(of: "://"), Self.isPostgresURL(text) else {
            throw Invalid(description: "not a postgresql:// URL")
        }
        let scheme = String(text[..<separator.lowerBound])
        var rest = Substring(text[separator.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        // The authority: [user[:password]@]host[:port]; the password ends at the last `@` (libpq).
        var userInfo: Substring?
        var hostPort = rest
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            hostPort = rest[rest.index(after: at)...]
        }
        var passwordGiven = false
        if let userInfo {
            let parts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let user = try Self.decode(parts[0], "user name")
            self.user = user.isEmpty ? nil : user
            if parts.count == 2 {
                passwordGiven = true
                password = try Self.decode(parts[1], "password")
            }
        }
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw Invalid(description: "an IPv6 host needs its closing ]") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { port = try Self.port(after.dropFirst()) } else if !after.isEmpty {
                throw Invalid(description: "unexpected '\(after)' after the host")
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = try Self.decode(hostPort[..<colon], "host")
            port = try Self.port(hostPort[hostPort.index(after: colon)...])
        } else if !hostPort.isEmpty {
            host = try Self.decode(hostPort, "host")
        }
        if host?.isEmpty == true { host = nil }
        if host?.contains(",") == true { throw Invalid(description: "several hosts are not supported: give one") }
        let name = try Self.decode(path, "database name")
        database = name.isEmpty ? nil : name
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(kv[0], "parameter")
            var value = ""
            if kv.count == 2 { value = try Self.decode(kv[1], "parameter \(key)") }
            switch key {
            case "host": host = value.isEmpty ? nil : value
            case "port": port = try Self.port(Substring(value))
            case "user": user = value.isEmpty ? nil : value
            case "dbname": database = value.isEmpty ? nil : value
            case "password":
                passwordGiven = true
                password = value
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw Invalid(description: "sslmode '\(value)' is not one of disable, prefer, require, verify-full")
                }
                sslMode = mode
            case "connect_timeout":
                guard let seconds = Int(value), seconds >= 0 else { throw Invalid(description: "connect_timeout '\(value)' is not a number of seconds") }
                connectTimeout = seconds
            case "application_name": applicationName = value
            default:
                throw Invalid(description: "unknown URL parameter '\(key)' (known: host, port, user, dbname, sslmode, connect_timeout, application_name)")
            }
        }
        redacted = passwordGiven ? Self.redact(text, scheme: scheme) : text
    }

    /// A URL that did not parse, as an error message may show it: without what looks like a password.
    public static func redactedForError(_ text: String) -> String {
        guard let separator = text.range(of: "://") else { return text }
        return redact(text, scheme: String(text[..<separator.lowerBound]))
    }

    /// `text` with the password of its user info and any `password=` parameter removed.
    private static func redact(_ text: String, scheme: String) -> String {
        guard let separator = text.range(of: "://") else { return text }
        var rest = String(text[separator.upperBound...])
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[mark...])
            rest = String(rest[..<mark])
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            rest = String(authority[..<colon]) + String(authority[at...]) + String(rest[authorityEnd...])
        }
        if !query.isEmpty {
            let pairs = query.dropFirst().split(separator: "&").filter { !$0.hasPrefix("password=") && $0 != "password" }
            query = pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
        }
        return scheme + "://" + rest + query
    }

    private static func decode(_ text: Substring, _ what: String) throws(Invalid) -> String {
        guard let decoded = String(text).removingPercentEncoding else { throw Invalid(description: "the \(what) has a bad %-escape") }
        return decoded
    }

    private static func port(_ text: Substring) throws(Invalid) -> Int? {
        if text.isEmpty { return nil }
        guard let port = Int(text), (1...65535).contains(port) else { throw Invalid(description: "port '\(text)' is not a number from 1 to 65535") }
        return port
    }
}
