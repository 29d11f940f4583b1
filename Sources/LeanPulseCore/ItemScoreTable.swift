/// Compute -> Render: item % favorable with its Wilson 95% interval, per unit subtree and item.
/// Flat arrays indexed `unit * itemCount + item`; NaN where the item has no answer in the unit or the
/// unit is suppressed (then `answered` is 0 too).
public struct ItemScoreTable: Sendable {
    public var itemCount: Int
    public var answered: [Int32]
    public var favorablePercent: [Double]
    public var low: [Double]
    public var high: [Double]

    public init(unitCount: Int, itemCount: Int) {
        self.itemCount = itemCount
        answered = Array(repeating: 0, count: unitCount * itemCount)
        favorablePercent = Array(repeating: .nan, count: unitCount * itemCount)
        low = favorablePercent
        high = favorablePercent
    }
}
