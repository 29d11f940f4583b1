/// The pipeline file as written (DESIGN.md "The pipeline file"): every key optional, decoded from YAML.
/// `PipelineConfig` is the resolved form with defaults applied and paths made absolute.
public struct PipelineFile: Codable, Sendable {
    public var pipeline: String?
    public var title: String?
    public var period: String?
    public var timezone: String?
    public var store: String?
    public var organization: Organization?
    public var instrument: String?
    public var sources: [Source]?
    public var confidentiality: Confidentiality?
    public var metrics: Metrics?
    public var quality: Quality?
    public var reports: Reports?
    public var team_map: TeamMapValue?

    /// `team_map:` either inline (`{ old_id: new_id }`) or the path of a CSV file with `old_id,new_id` rows.
    public enum TeamMapValue: Codable, Sendable {
        case inline([String: String])
        case file(String)

        public init(from decoder: any Decoder) throws {
            if let map = try? [String: String](from: decoder) {
                self = .inline(map)
            } else if let path = try? decoder.singleValueContainer().decode(String.self) {
                self = .file(path)
            } else {
                throw DecodingError.typeMismatch([String: String].self, DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "'team_map' must be a mapping { old_id: new_id } or the path of a CSV file with old_id,new_id rows"))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .inline(let map): try container.encode(map)
            case .file(let path): try container.encode(path)
            }
        }
    }
    public var branding: Branding?

    public struct Organization: Codable, Sendable {
        public var teams: String?
    }

    public struct Source: Codable, Sendable {
        public var id: String?
        public var kind: String?
        public var format: String?
        public var path: String?
        public var period: String?
        public var fields: [String: String]?
        public var items: [String: String]?
        public var record: String?
        public var delimiter: String?
        public var encoding: String?
        public var date_format: String?
        public var timezone: String?
        public var include_previews: Bool?
        public var include_unfinished: Bool?
        /// Ideas sources: what their status words mean (`IdeaStatuses`).
        public var statuses: Statuses?
    }

    /// `statuses:` of an ideas source: the words of each role (one word, or a list).
    public struct Statuses: Codable, Sendable {
        public var implemented: Words?
        public var rejected: Words?
        public var open: Words?

        public subscript(role: IdeaStatuses.Role) -> Words? {
            switch role {
            case .implemented: implemented
            case .rejected: rejected
            case .open: open
            }
        }
    }

    /// A list of words, or one word written alone (`rejected: Abgelehnt`).
    public struct Words: Codable, Sendable {
        public var list: [String]
        /// False for one word written alone (its location is the key's value, not a list element's).
        public var isList: Bool

        public init(from decoder: any Decoder) throws {
            if let one = try? decoder.singleValueContainer().decode(String.self) {
                (list, isList) = ([one], false)
            } else if let many = try? [String](from: decoder) {
                (list, isList) = (many, true)
            } else {
                throw DecodingError.typeMismatch([String].self, DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: "a status word or a list of them"))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(list)
        }
    }

    public struct Confidentiality: Codable, Sendable {
        public var min_respondents: Int?
        public var min_comment_respondents: Int?
        public var pseudonym_key_env: String?
        public var pseudonym_key_file: String?
    }

    public struct Metrics: Codable, Sendable {
        public var favorable_aggregation: String?
        public var strength_threshold: Double?
        public var cycle_time_inclusive: Bool?
        public var relative_weights: Bool?
    }

    public struct Quality: Codable, Sendable {
        public var max_rejected_ratio: Double?
    }

    public struct Reports: Codable, Sendable {
        public var dir: String?
        public var html: Bool?
        public var csv: Bool?
    }

    public struct Branding: Codable, Sendable {
        /// A PNG, JPEG or SVG file, relative to the pipeline file.
        public var logo: String?
        /// `#rrggbb`.
        public var accent: String?
    }
}
