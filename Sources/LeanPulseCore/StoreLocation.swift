/// Where the store is: a SQLite file (a path, the default) or a PostgreSQL database (a `postgresql://` or
/// `postgres://` URL), as `store:` or `--store` gave it (docs/STORE.md, "PostgreSQL").
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// A PostgreSQL URL, or else a path (taken as it is: the configuration resolves it).
    public init(_ text: String) throws(PostgresURL.Invalid) {
        if PostgresURL.isPostgresURL(text) {
            self = .postgres(try PostgresURL(parsing: text))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The store as messages and logs name it: the path, or the URL without its password.
    public var displayLocation: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): url.redacted
        }
    }
}
