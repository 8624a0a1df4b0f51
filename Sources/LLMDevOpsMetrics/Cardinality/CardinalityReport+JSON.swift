extension CardinalityReport {
    /// The report as UTF-8 JSON: the body of `/debug/cardinality.json`. The schema
    /// (``schema``, `llmdevops.cardinality.v1`) is documented in <doc:CardinalityReportJSON>;
    /// keys keep their meaning within a schema version, and new keys may be added.
    ///
    /// ```swift
    /// let body = await registry.cardinalityReport().json()
    /// ```
    public func json() -> [UInt8] {
        let out = JSONWriter()
        out.object {
            out.field("schema") { out.string(Self.schema) }
            out.field("computed_at") { out.string(Self.timestamp(computedAt)) }
            out.field("computed_at_unix_seconds") { out.number(computedAt) }
            out.field("compute_seconds") { out.number(computeSeconds) }
            out.field("warning_share") { out.number(Self.warningShare) }
            out.field("series") {
                out.object {
                    out.field("in_use") { out.integer(series) }
                    out.field("limit") { out.integer(seriesLimit) }
                    out.field("share") { out.number(share) }
                    out.field("status") { out.string(status.rawValue) }
                    out.field("limit_key") { out.optionalString(globalLimitKey) }
                }
            }
            out.field("rejected") { out.reasons(rejected) }
            out.field("redactions") {
                out.array(redactions) { redaction in
                    out.object {
                        out.field("family") { out.string(redaction.family) }
                        out.field("label") { out.string(redaction.label) }
                        out.field("reason") { out.string(redaction.reason) }
                        out.field("count") { out.integer(redaction.count) }
                    }
                }
            }
            out.field("collector_label_overflow") {
                out.array(collectorOverflow) { overflow in
                    out.object {
                        out.field("metric") { out.string(overflow.metric) }
                        out.field("label") { out.string(overflow.label) }
                        out.field("count") { out.integer(overflow.count) }
                    }
                }
            }
            out.field("families") { out.array(families) { out.family($0) } }
        }
        out.bytes.append(UInt8(ascii: "\n"))
        return out.bytes
    }

    /// `2026-12-03T18:04:05.123Z` for seconds since 1970 (UTC, milliseconds).
    public static func timestamp(_ unixSeconds: Double) -> String {
        guard unixSeconds.isFinite, unixSeconds >= 0, unixSeconds < 253_402_300_800 else { return "" }
        let milliseconds = Int64((unixSeconds * 1000).rounded(.down))
        let days = milliseconds / 86_400_000
        let dayMilliseconds = Int(milliseconds % 86_400_000)
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: some BinaryInteger, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let hours = dayMilliseconds / 3_600_000
        let minutes = dayMilliseconds / 60_000 % 60
        let seconds = dayMilliseconds / 1000 % 60
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hours, 2)):\(pad(minutes, 2)):"
            + "\(pad(seconds, 2)).\(pad(dayMilliseconds % 1000, 3))Z"
    }
}

/// A minimal JSON writer for the report: objects, arrays, strings (escaped per RFC 8259),
/// integers and finite numbers.
private final class JSONWriter {
    var bytes: [UInt8] = []
    private var needsComma = false

    func object(_ body: () -> Void) {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body()
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    func array<Element>(_ elements: [Element], _ body: (Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements {
            if needsComma { bytes.append(UInt8(ascii: ",")) }
            needsComma = false
            body(element)
            needsComma = true
        }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    func field(_ name: String, _ value: () -> Void) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
        value()
        needsComma = true
    }

    func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                // Control characters must be escaped; <, > and & are escaped too, so the JSON
                // stays inert if a browser ever sniffs it as HTML.
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    func optionalString(_ text: String?) {
        if let text { string(text) } else { bytes.append(contentsOf: Array("null".utf8)) }
    }

    func integer(_ value: some BinaryInteger) {
        bytes.append(contentsOf: Array(String(value).utf8))
    }

    func number(_ value: Double) {
        guard value.isFinite else {
            bytes.append(contentsOf: Array("null".utf8))
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            integer(Int64(value))
        } else {
            bytes.append(contentsOf: Array(value.description.utf8))
        }
    }

    func reasons(_ reasons: [CardinalityReport.ReasonCount]) {
        object {
            for entry in reasons { field(entry.reason) { integer(entry.count) } }
        }
    }

    func family(_ family: CardinalityReport.Family) {
        object {
            field("name") { string(family.name) }
            field("type") { string(family.type.rawValue) }
            field("series") { integer(family.series) }
            field("limit") { integer(family.seriesLimit) }
            field("share") { number(family.share) }
            field("status") { string(family.status.rawValue) }
            field("limit_key") { optionalString(family.limitKey) }
            field("rejected") { reasons(family.rejected) }
            field("idle_expiries") { integer(family.idleExpiries) }
            field("labels") {
                array(family.labels) { label in
                    object {
                        field("name") { string(label.name) }
                        field("distinct_values") { integer(label.distinctValues) }
                        field("allow_list") { optionalString(label.allowList) }
                        field("top_values") {
                            array(label.topValues) { entry in
                                object {
                                    field("value") { string(entry.value) }
                                    field("series") { integer(entry.series) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
