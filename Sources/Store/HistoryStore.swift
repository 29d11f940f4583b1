import LeanPulseCore

/// Why the store could not be opened or written.
public struct StoreError: LocatedError {
    public var location: SourceLocation?
    public var reason: String

    /// `path`: the store's path, or its URL without the password (`PostgresURL.redacted`).
    public init(_ reason: String, path: String? = nil) {
        self.reason = reason
        self.location = path.map { SourceLocation(file: $0) }
    }
}

/// The latest import of a source, as recorded.
public struct StoredImport: Sendable, Hashable {
    public var id: Int64
    public var sourceId: String
    public var sha256: String
}

/// What the pipeline needs of the history of every period: the SQLite file (`LeanPulseStore`, the default) or a
/// PostgreSQL database (`PostgresStore`), chosen by `store:` (`StoreLocation`). Both keep the tables, views and
/// replacement rules of docs/STORE.md; a run's imports are one transaction in either.
public protocol HistoryStore: AnyObject {
    /// The store as messages name it: the file's path, or the URL without its password.
    var displayLocation: String { get }

    /// The pipelines (their `pipeline:` ids) other than `pipeline` whose imports of `sourceId` the store holds.
    func otherPipelines(importing sourceId: String, than pipeline: String) throws(StoreError) -> [String]
    /// The most recent import of `sourceId`, if any.
    func latestImport(sourceId: String) throws(StoreError) -> StoredImport?
    /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws.
    func withImportTransaction<T>(_ body: (any HistoryImportWriter) throws -> T) throws -> T
    /// Every import, oldest first: (id, source, content hash).
    func importSummary() throws(StoreError) -> [StoredImport]
    /// Every import, oldest first, as `id:content_sha256` lines (what a report was computed from).
    func importLedger() throws(StoreError) -> String
    /// Per-file counts of an import, for the data page and the manifest.
    func importCounts(importId: Int64, sourceId: String) throws(StoreError) -> [ImportCounts]
    /// The findings recorded with an import.
    func findings(importId: Int64) throws(StoreError) -> [DataQualityFinding]
    /// Records the organisation as it is for `period` (replacing an earlier snapshot of that period).
    func saveOrganization(_ units: [OrgUnit], period: Period, respondents: [Int?]?, hiddenFigures: [[String]?]?) throws(StoreError)
    /// The organisation recorded for `period` by `saveOrganization`, with what its report counted and withheld.
    func reportedOrganization(period: Period) throws(StoreError)
        -> (organization: Organization, respondents: [String: Int]?, hiddenFigures: [String: Set<String>]?)?
    /// Whether `saveOrganization` recorded `period` (one indexed probe: the unchanged re-run asks it of a 93k-unit store).
    func hasReportedOrganization(period: Period) throws(StoreError) -> Bool
    /// Periods that have survey responses from the given sources, ascending.
    func surveyPeriods(sourceIds: [String]) throws(StoreError) -> [Period]
    /// The text hashes each item had in the imports that hold `period`'s responses (item id -> hashes).
    func itemTextHashes(period: Period, sourceIds: [String]) throws(StoreError) -> [String: Set<String>]
    /// Loads one period's responses and goals, and all ideas, of the given sources onto `organization` and `instrument`.
    func loadDataset(period: Period, organization: Organization, instrument: Instrument,
                     sourceIds: [String]) throws(StoreError) -> (PeriodDataset, DatasetLoadNotes)
    /// Ends the use of the store (the connection is closed); the store must not be used afterwards.
    func close() throws(StoreError)
}

/// Writes one run's imports inside the store's transaction (`HistoryStore.withImportTransaction`).
public protocol HistoryImportWriter: AnyObject {
    /// Starts an import of `source` whose inputs hash to `sha256`, made by the pipeline whose `pipeline:` id is `pipeline`.
    func beginImport(source: SourceConfig, pipeline: String, sha256: String, instrument: Instrument, importedAt: String) throws
    /// Stores a batch of responses; a second response of a respondent in a period keeps the later one.
    func insert(_ responses: ResponseColumns) throws
    /// Stores a batch of ideas.
    func insert(_ ideas: IdeaColumns) throws
    /// Stores a goal row.
    func insert(_ goal: Goal) throws
    /// Closes one file of the import: its counts (superseded ones moved out of accepted) and findings, as recorded.
    func finishFile(_ counts: ImportCounts, bytes: Int64, findings: inout [DataQualityFinding]) throws -> ImportCounts
    /// Ends the import, replacing earlier rows of its source by the replacement rules; returns the import's id.
    @discardableResult
    func finishImport(alsoReplacing extra: Set<Period>) throws -> Int64
}

extension HistoryStore {
    /// Every stored period with survey responses of `sourceIds` before `period`, oldest first, each loaded
    /// with `loadDataset` onto `organization` (for a reorganisation: `PeriodHistory.loadingOrganization`) and
    /// with the text hashes its items had when imported. Ideas and goals are not loaded (only survey sources
    /// are asked for); the caller supplies the ideas log once.
    public func loadHistory(before period: Period, organization: Organization, instrument: Instrument,
                            sourceIds: [String]) throws(StoreError) -> [StoredPeriod] {
        var result: [StoredPeriod] = []
        for earlier in try surveyPeriods(sourceIds: sourceIds) where earlier < period {
            let (dataset, _) = try loadDataset(period: earlier, organization: organization, instrument: instrument,
                                               sourceIds: sourceIds)
            let reported = try reportedOrganization(period: earlier)
            result.append(StoredPeriod(dataset: dataset, itemTextHashes: try itemTextHashes(period: earlier, sourceIds: sourceIds),
                                       ownOrganization: reported?.organization, ownRespondents: reported?.respondents,
                                       ownHiddenFigures: reported?.hiddenFigures))
        }
        return result
    }
}
