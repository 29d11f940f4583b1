/// What the words of an ideas source's status column mean: the built-in words (implemented; rejected, declined; open)
/// and the source's own (`statuses: { implemented: [Done, Umgesetzt], rejected: [Abgelehnt], open: [Backlog] }`), each
/// compared as `Scale.key` compares labels (case, surrounding spaces and non-breaking spaces ignored). A source's word
/// wins over a built-in one, so `open: [Rejected]` makes "Rejected" an open status. The dates still decide what an idea
/// counts as (METRICS.md 3); a status feeds the findings that say where it disagrees with them (DECISIONS 47).
public struct IdeaStatuses: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, CaseIterable {
        case implemented, rejected, open
    }

    /// The built-in words by their `Scale.key`.
    public static let builtIn: [(key: String, role: Role)] = [
        ("implemented", .implemented), ("rejected", .rejected), ("declined", .rejected), ("open", .open),
    ]

    /// The source's words as written, in the pipeline file's order, with their roles.
    public private(set) var words: [(word: String, role: Role)] = []
    /// The `Scale.key` of each of the source's words -> its role.
    private var byKey: [String: Role] = [:]

    public init() {}

    public var isEmpty: Bool { words.isEmpty }

    /// Adds the source's `word` under `role`. Returns the other role it is already listed under (a configuration error
    /// for the caller to report at the word); nil when it was added (or is listed under `role` already).
    public mutating func add(_ word: String, as role: Role) -> Role? {
        let key = Scale.key(word)
        if let earlier = byKey[key] { return earlier == role ? nil : earlier }
        byKey[key] = role
        words.append((word, role))
        return nil
    }

    /// The role of a status as written: the source's word first, then a built-in one; nil for any other status.
    public func role(of status: String) -> Role? {
        let key = Scale.key(status)
        if let role = byKey[key] { return role }
        return Self.builtIn.first { $0.key == key }?.role
    }

    /// Every word understood, per role (the built-in words a source's word takes elsewhere left out): what `validate`
    /// prints, e.g. `implemented: implemented, Done; rejected: rejected, declined; open: open, Backlog`.
    public var description: String {
        Role.allCases.map { role in
            let builtIn = Self.builtIn.filter { $0.role == role && (byKey[$0.key] ?? role) == role }.map(\.key)
            let own = words.filter { $0.role == role && !builtIn.contains(Scale.key($0.word)) }.map(\.word)
            return "\(role.rawValue): " + (builtIn + own).joined(separator: ", ")
        }.joined(separator: "; ")
    }

    /// The source's own words alone, in a fixed order (for the import's content hash): empty without any.
    public var canonical: String {
        words.map { "\($0.role.rawValue)=\($0.word)" }.joined(separator: ";")
    }

    public static func == (a: IdeaStatuses, b: IdeaStatuses) -> Bool { a.canonical == b.canonical }

    public func hash(into hasher: inout Hasher) { hasher.combine(canonical) }
}
