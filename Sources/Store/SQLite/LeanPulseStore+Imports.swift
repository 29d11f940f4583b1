import GRDB

extension LeanPulseStore {
    /// Every import in the store, oldest first, as `id:content_sha256` lines: what a period's report was
    /// computed from (its own period's data and the earlier periods it is compared with).
    public func importLedger() throws(StoreError) -> String {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, content_sha256 FROM imports ORDER BY id")
                .map { "\($0[0] as Int64):\($0[1] as String)" }
                .joined(separator: "\n")
        }
    }
}
