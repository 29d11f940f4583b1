import Foundation
import LeanPulseCore
import TestSupport
import Testing

/// The pipeline file's `branding:` block: logo file checked by magic bytes and size, accent `#rrggbb`.
@Suite(.removesTemporaryFiles) struct BrandingConfigTests {
    static let base = """
        pipeline: acme
        organization: { teams: teams.csv }
        instrument: i.yml
        sources:
          - { id: pulse, kind: survey, path: pulse.csv }

        """

    func load(_ branding: String, files: [String: [UInt8]] = [:]) throws -> PipelineConfig {
        let dir = try temporaryFolder("lp-branding")
        for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        let path = dir + "/pipeline.yml"
        try (Self.base + branding).write(toFile: path, atomically: true, encoding: .utf8)
        return try PipelineConfig.load(path: path)
    }

    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]

    @Test func embedsAPNGLogoAndNormalisesTheAccent() throws {
        let config = try load("branding: { logo: logo.png, accent: \"#0B6E4F\" }\n", files: ["logo.png": Self.png])
        #expect(config.branding.accent == "#0b6e4f")
        #expect(config.branding.logoDataURI == "data:image/png;base64," + Data(Self.png).base64EncodedString())
    }

    @Test func recognisesJPEGAndSVGByTheirFirstBytes() {
        #expect(ReportBranding.logoType([0xFF, 0xD8, 0xFF, 0xE0]) == "image/jpeg")
        #expect(ReportBranding.logoType(Array("\u{FEFF}  <?xml version=\"1.0\"?>\n<svg xmlns=\"x\"/>".utf8)) == "image/svg+xml")
        #expect(ReportBranding.logoType(Array("<svg viewBox=\"0 0 1 1\"></svg>".utf8)) == "image/svg+xml")
        #expect(ReportBranding.logoType(Array("<html><svg/></html>".utf8)) == nil)
        #expect(ReportBranding.logoType(Array("GIF89a".utf8)) == nil)
        #expect(ReportBranding.logoType([]) == nil)
    }

    @Test(arguments: ["#fff", "green", "#12345g", "#1234567", "rgb(1,2,3)", "#0b6e4f;}body{x"])
    func rejectsABadAccentWithItsLocation(_ accent: String) throws {
        do {
            _ = try load("branding:\n  accent: \"\(accent)\"\n")
            Issue.record("expected an error for \(accent)")
        } catch let error as Diagnostic {
            #expect(error.location?.line == 7)
            #expect(error.message.contains("branding.accent"))
        }
    }

    @Test func rejectsALogoOfAnotherTypeOrTooLargeOrMissing() throws {
        for (name, bytes, words) in [("logo.gif", Array("GIF89a....".utf8), "not a PNG, JPEG or SVG"),
                                     ("big.png", Self.png + [UInt8](repeating: 0, count: ReportBranding.maxLogoBytes), "at most"),
                                     ("missing.png", nil, "cannot be read")] as [(String, [UInt8]?, String)] {
            do {
                _ = try load("branding:\n  logo: \(name)\n", files: bytes.map { [name: $0] } ?? [:])
                Issue.record("expected an error for \(name)")
            } catch let error as Diagnostic {
                #expect(error.location?.line == 7, "\(name)")
                #expect(error.message.contains(words), "\(name): \(error.message)")
            }
        }
    }
}
