import LeanPulseCore
import Testing
@testable import Compute

/// `ResponseTable.rowsGrouped`: the order the unit tallies visit rows in.
struct RowOrderTests {
    @Test func groupsRowsStablyAndLeavesOutRowsOutsideTheOrganisation() {
        // Units of rows 0...8; -1 and 7 are outside an organisation of 4 units.
        let table = ResponseTable(itemCount: 0, unit: [3, 1, 3, -1, 0, 1, 7, 2, 0])
        #expect(table.rowsGrouped(unitCount: 4, groups: 4) { $0 } == [4, 8, 1, 5, 7, 0, 2])
        // Groups of units (0 and 2 -> 0, 1 -> 1); unit 3 has no group and comes last, in row order.
        let groupOf = [0, 1, 0, -1]
        #expect(table.rowsGrouped(unitCount: 4, groups: 2) { groupOf[$0] } == [4, 7, 8, 1, 5, 0, 2])
        #expect(ResponseTable(itemCount: 0).rowsGrouped(unitCount: 4, groups: 4) { $0 }.isEmpty)
    }
}
