import LeanPulseCore

extension LeanPulseStore {
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
