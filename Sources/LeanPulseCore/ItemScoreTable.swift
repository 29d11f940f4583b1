/// Compute -> Render: item % favorable with its Wilson 95% interval, per unit subtree and item.
/// Flat arrays indexed `unit * itemCount + item`; NaN where the item has no answer in the unit or the
/// unit is suppressed (then `answered` is 0 too).
public struct ItemScoreTable: Sendable {
    public var itemCount: Int
    public var answered: [Int32]
    public var favorablePercent: [Double]
    public var low: [Double]
    public var high: [Double]
    /// Answered in a shown unit but withheld (METRICS.md 6 on the item's answers): the cell's other figures stay empty.
    public var hidden: [Bool]

    public init(unitCount: Int, itemCount: Int) {
        self.itemCount = itemCount
        hidden = Array(repeating: false, count: unitCount * itemCount)
        answered = Array(repeating: 0, count: unitCount * itemCount)
        favorablePercent = Array(repeating: .nan, count: unitCount * itemCount)
        low = favorablePercent
        high = favorablePercent
    }
}
