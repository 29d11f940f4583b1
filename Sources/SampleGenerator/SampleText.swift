import LeanPulseCore

/// Text helpers for the generated files: RFC 4180 fields, zero padding, timestamps, XML escaping.
enum SampleText {
    /// An RFC 4180 field: quoted when it holds a comma, quote, line break or edge space.
    static func csvField(_ value: String) -> String {
        let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || value.first == " " || value.last == " "
        guard needsQuotes else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            if scalar == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "\""
    }

    static func csvRow(_ fields: [String], lineEnd: String) -> String {
        fields.map(csvField).joined(separator: ",") + lineEnd
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Seconds since 1970-01-01 00:00:00 UTC at `seconds` past the midnight that starts `day`.
    static func instant(_ day: Day, _ seconds: Int = 0) -> Int { Int(day.ordinal) * 86_400 + seconds }

    /// `YYYY-MM-DD HH:MM:SS` of an instant (UTC, no locale involved).
    static func timestamp(_ instant: Int) -> String {
        let dayNumber = instant >= 0 ? instant / 86_400 : (instant - 86_399) / 86_400
        let s = instant - dayNumber * 86_400
        return "\(Day(ordinal: Int32(dayNumber))) \(pad(s / 3600, 2)):\(pad(s / 60 % 60, 2)):\(pad(s % 60, 2))"
    }

    /// XML character data with `&`, `<` and `>` escaped.
    static func xml(_ value: String) -> String {
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A decimal with `places` decimals from an integer count of its smallest unit (`915, 1` -> `91.5`).
    static func decimal(_ units: Int, places: Int) -> String {
        var factor = 1
        for _ in 0..<places { factor *= 10 }
        let sign = units < 0 ? "-" : ""
        let magnitude = abs(units)
        guard places > 0 else { return sign + String(magnitude) }
        return sign + String(magnitude / factor) + "." + pad(magnitude % factor, places)
    }
}

extension SampleText {
    /// Calendar day and clock of an instant (UTC).
    static func civil(_ instant: Int) -> (day: Day, hour: Int, minute: Int, second: Int) {
        let dayNumber = instant >= 0 ? instant / 86_400 : (instant - 86_399) / 86_400
        let s = instant - dayNumber * 86_400
        return (Day(ordinal: Int32(dayNumber)), s / 3600, s / 60 % 60, s % 60)
    }

    /// `M/D/YYYY H:MM:SS` (Google Forms) or, with `shortYear`, `M/D/YY H:MM:SS` (Microsoft Forms): US order, 24 h,
    /// month, day and hour without zero padding.
    static func usTimestamp(_ instant: Int, shortYear: Bool = false) -> String {
        let t = civil(instant)
        let date = t.day.civil
        let year = shortYear ? pad(date.year % 100, 2) : String(date.year)
        return "\(date.month)/\(date.day)/\(year) \(t.hour):\(pad(t.minute, 2)):\(pad(t.second, 2))"
    }

    /// `MM/DD/YYYY hh:MM:SS AM` (SurveyMonkey): zero-padded, 12 h.
    static func twelveHourTimestamp(_ instant: Int) -> String {
        let t = civil(instant)
        let date = t.day.civil
        let hour = t.hour % 12 == 0 ? 12 : t.hour % 12
        return "\(pad(date.month, 2))/\(pad(date.day, 2))/\(date.year) \(pad(hour, 2)):\(pad(t.minute, 2)):\(pad(t.second, 2)) "
            + (t.hour < 12 ? "AM" : "PM")
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    static func isoTimestamp(_ instant: Int) -> String {
        let text = timestamp(instant)
        return text.replacingFirstSpace(with: "T") + "Z"
    }

    /// A field of a LimeSurvey export: always quoted, `"` doubled.
    static func quotedField(_ value: String) -> String {
        var quoted = "\""
        for scalar in value.unicodeScalars {
            if scalar == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "\""
    }

    /// A YAML scalar: plain when it is a simple name, else double-quoted (`"` and `\` escaped).
    static func yaml(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
        if plain { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}

extension String {
    fileprivate func replacingFirstSpace(with replacement: Character) -> String {
        guard let index = firstIndex(of: " ") else { return self }
        var copy = self
        copy.replaceSubrange(index...index, with: String(replacement))
        return copy
    }
}
