import Foundation
import LeanPulseCore
import Testing
@testable import Render

@Suite struct CSVTests {
    @Test func quotingFollowsRFC4180() {
        #expect(CSVCell.text("plain").encoded == "plain")
        #expect(CSVCell.text("a,b").encoded == "\"a,b\"")
        #expect(CSVCell.text("say \"hi\"").encoded == "\"say \"\"hi\"\"\"")
        #expect(CSVCell.text("two\nlines").encoded == "\"two\nlines\"")
        #expect(CSVCell.text("cr\rhere").encoded == "\"cr\rhere\"")
        #expect(CSVCell.text("").encoded == "")
        #expect(CSVCell.text(nil).encoded == "")
    }

    @Test(arguments: ["=SUM(A1)", "+1", "-idea", "@cmd", "\tx", "\rx"])
    func formulaTextIsNeutralised(_ text: String) {
        let cell = CSVCell.text(text).encoded
        #expect(cell.hasPrefix("'") || cell.hasPrefix("\"'"))
    }

    @Test func numbersAreNotNeutralised() {
        #expect(CSVCell.double(-12.5).encoded == "-12.500000")
        #expect(CSVCell.int(-3).encoded == "-3")
        #expect(CSVCell.double(nil).encoded == "")
        #expect(CSVCell.bool(false).encoded == "false")
    }

    @Test func teamMetricsHeaderIsTheContract() throws {
        let folder = try renderFixture()
        defer { folder.remove() }
        let text = try folder.read("team_metrics.csv")
        let header = text.split(separator: "\n").first.map(String.init)
        #expect(header == "period,team_id,team_name,parent_id,respondents,headcount,response_rate,engagement_index,engagement_index_low,engagement_index_high,engagement_score,enps,alignment,autonomy,accountability,balance_index,balance_gap,quadrant,borderline,ideas_submitted,ideas_implemented,ideas_rejected,implementation_rate,ideas_per_person_year,cycle_time_p50,cycle_time_p85,cycle_time_p95,wip,age_p85,goal_attainment,engagement_change,suppressed,hidden_figures,participation")
        #expect(try folder.read("data_quality.csv").hasPrefix("source,file,line,column,severity,code,message\n"))
        #expect(try folder.read("suppression_log.csv").hasPrefix("period,team_id,team_name,reason,protects,detail\n"))
        #expect(try folder.read("improvement_flow.csv").hasPrefix("period,team_id,iso_week,implemented\n"))
        let bytes = try folder.bytes("team_metrics.csv")
        #expect(!bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(!bytes.contains(0x0D))
    }

    /// Splits RFC 4180 text into rows of fields (test-side reader).
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false, i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if quoted {
                if c == "\"" {
                    let n = text.index(after: i)
                    if n < text.endIndex && text[n] == "\"" { field.append("\""); i = n } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.append(c) }
            i = text.index(after: i)
        }
        return rows
    }

    @Test func suppressedRowsHaveBlankSurveyValuesAndRespondents() throws {
        let folder = try renderFixture()
        defer { folder.remove() }
        let rows = Self.parse(try folder.read("team_metrics.csv"))
        let header = rows[0]
        #expect(rows.allSatisfy { $0.count == header.count })
        func col(_ name: String) -> Int { header.firstIndex(of: name)! }
        let survey = ["respondents", "response_rate", "engagement_index", "engagement_index_low", "engagement_index_high",
                      "engagement_score", "enps", "alignment", "autonomy", "accountability", "balance_index", "balance_gap",
                      "quadrant", "borderline", "engagement_change"]
        let suppressed = rows.dropFirst().filter { !$0[col("suppressed")].isEmpty }
        #expect(suppressed.count == 2)
        for row in suppressed {
            for name in survey { #expect(row[col(name)].isEmpty, "\(row[col("team_id")]) \(name)") }
            #expect(!row[col("ideas_implemented")].isEmpty)
            #expect(!row[col("headcount")].isEmpty)
        }
        let formula = rows.first { $0[col("team_id")] == "ops-b" }!
        #expect(formula[col("team_name")] == "'=SUM(A1)")
        #expect(formula[col("suppressed")] == "complementary")
        let ops = rows.first { $0[col("team_id")] == "ops" }!
        #expect(ops[col("enps")] == "-12.500000")
        #expect(ops[col("team_name")] == "Operations, \"North\"")
        let rd = rows.first { $0[col("team_id")] == "r&d/eu" }!
        #expect(rd[col("enps")] == "0.000000")
        #expect(rd[col("headcount")] == "")
        #expect(rd[col("response_rate")] == "")
    }

    /// Compute may leave survey values on a suppressed unit; Render must still blank them.
    /// A shown unit's figures withheld on their own people are named in `hidden_figures`, so a blank there reads as hidden;
    /// the page says "hidden: too few answers here" where the figure would be.
    @Test func hiddenFiguresAreNamedInTheirColumnAndOnThePage() throws {
        var input = ReportFixture.input
        let u = try #require(input.metrics.units.firstIndex { $0.suppression == nil && $0.teamId != input.metrics.units[0].teamId })
        let engagement = try #require(input.instrument.factors.firstIndex { $0.role == .engagement })
        input.metrics.units[u].hiddenFactors = [engagement]
        input.metrics.units[u].engagementIndex = nil
        input.metrics.units[u].engagementScore = nil
        input.metrics.units[u].enpsHidden = true
        input.metrics.units[u].enps = nil
        let folder = try renderFixture(input: input)
        defer { folder.remove() }
        let rows = Self.parse(try folder.read("team_metrics.csv"))
        let header = try #require(rows.first)
        let row = try #require(rows.first { $0[1] == input.metrics.units[u].teamId })
        #expect(row[header.firstIndex(of: "hidden_figures")!] == input.instrument.factors[engagement].id + ";enps")
        #expect(row[header.firstIndex(of: "suppressed")!] == "")
        #expect(rows.dropFirst().filter { $0[1] != row[1] }.allSatisfy { $0.last == "" })
        let page = try folder.read("teams/" + input.metrics.units[u].teamId + ".html")
        #expect(page.components(separatedBy: "hidden: too few answers here").count - 1 >= 3)
    }

    @Test func suppressionIsEnforcedByRender() throws {
        var input = ReportFixture.input
        input.metrics.units[3].engagementIndex = Estimate(value: 50, low: 40, high: 60)
        input.metrics.units[3].enps = 33
        input.metrics.units[3].responseRate = 75
        let folder = try renderFixture(input: input)
        defer { folder.remove() }
        let rows = Self.parse(try folder.read("team_metrics.csv"))
        let row = rows.first { $0[1] == "ops-a-1" }!
        #expect(row[4] == "" && row[6] == "" && row[7] == "" && row[11] == "")
        let page = try folder.read("teams/ops-a-1.html")
        #expect(!page.contains(">50<") && !page.contains("+33") && !page.contains(">75<"))
    }
}
