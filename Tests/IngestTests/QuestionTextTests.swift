import Ingest
import Testing

struct QuestionTextTests {
    @Test func stripsTagsAndDecodesReferences() {
        #expect(QuestionText.display("<p>How <b>satisfied</b> are you?</p>") == "How satisfied are you?")
        #expect(QuestionText.display("Tools &amp; processes&nbsp;&#8211; &#x201C;quality&#x201D;") == "Tools & processes \u{2013} \u{201C}quality\u{201D}")
        #expect(QuestionText.display("Line one<br/>line two") == "Line one line two")
        #expect(QuestionText.display("<span style=\"font-size:12px\">Rate</span>\n\n it") == "Rate it")
    }

    @Test func keepsTextThatIsNotMarkup() {
        #expect(QuestionText.display("  I know what is expected of me  ") == "I know what is expected of me")
        #expect(QuestionText.display("a < b > c") == "a < b > c")
        #expect(QuestionText.display("R&D; Q&A") == "R&D; Q&A")
        #expect(QuestionText.display("&unknown; &#0; &#xZZ;") == "&unknown; &#0; &#xZZ;")
        #expect(QuestionText.display("") == "")
    }
}
