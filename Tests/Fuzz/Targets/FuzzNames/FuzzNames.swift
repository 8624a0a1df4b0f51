import LLMDevOpsFuzzSupport
import LLMDevOpsMetrics

/// Metric and label name rules (`Sources/LLMDevOpsMetrics/Labels/MetricNameRules.swift`) and
/// the registry's use of them.
///
/// Input: a byte choosing the family type, then a metric name and a label name (each up to a
/// NUL). Properties:
/// - `isValidMetricName` and `isValidLabelName` agree with the patterns
///   `[a-zA-Z_:][a-zA-Z0-9_:]*` and `[a-zA-Z_][a-zA-Z0-9_]*` checked byte by byte;
/// - `sanitizeMetricName` / `sanitizeLabelName` equal a plain reading of their documentation
///   (each other Unicode scalar becomes one `_`, a leading digit gets `_`, empty becomes `_`,
///   label names lose a reserved `__` prefix), return valid names, are idempotent, and leave
///   valid names (without `:` / `__`) unchanged;
/// - the registry never registers a family whose name or label name is invalid.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNames(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let type = input.byte() % 4
    let metric = String(decoding: input.bytes(until: 0), as: UTF8.self)
    let label = String(decoding: input.remaining(), as: UTF8.self)

    for name in [metric, label] {
        let validMetric = MetricNameRules.isValidMetricName(name)
        fuzzCheck(
            validMetric == Reference.matches(name, allowColon: true),
            "isValidMetricName(\(quoted(name))) = \(validMetric)"
        )
        let validLabel = MetricNameRules.isValidLabelName(name)
        fuzzCheck(
            validLabel == Reference.matches(name, allowColon: false),
            "isValidLabelName(\(quoted(name))) = \(validLabel)"
        )

        let sanitizedMetric = MetricNameRules.sanitizeMetricName(name)
        fuzzCheck(
            sanitizedMetric == Reference.sanitize(name, collapseReservedPrefix: false),
            "sanitizeMetricName(\(quoted(name))) = \(quoted(sanitizedMetric)), documented: "
                + "\(quoted(Reference.sanitize(name, collapseReservedPrefix: false)))"
        )
        fuzzCheck(
            MetricNameRules.isValidMetricName(sanitizedMetric) && !sanitizedMetric.contains(":"),
            "sanitizeMetricName(\(quoted(name))) = \(quoted(sanitizedMetric)) is not a valid name without ':'"
        )
        fuzzCheck(
            MetricNameRules.sanitizeMetricName(sanitizedMetric) == sanitizedMetric,
            "sanitizeMetricName is not idempotent on \(quoted(name))"
        )
        if validMetric, !name.contains(":") {
            fuzzCheck(sanitizedMetric == name, "sanitizeMetricName changed the valid name \(quoted(name))")
        }

        let sanitizedLabel = MetricNameRules.sanitizeLabelName(name)
        fuzzCheck(
            sanitizedLabel == Reference.sanitize(name, collapseReservedPrefix: true),
            "sanitizeLabelName(\(quoted(name))) = \(quoted(sanitizedLabel)), documented: "
                + "\(quoted(Reference.sanitize(name, collapseReservedPrefix: true)))"
        )
        fuzzCheck(
            MetricNameRules.isValidLabelName(sanitizedLabel) && !sanitizedLabel.hasPrefix("__"),
            "sanitizeLabelName(\(quoted(name))) = \(quoted(sanitizedLabel)) is not a valid unreserved label name"
        )
        fuzzCheck(
            MetricNameRules.sanitizeLabelName(sanitizedLabel) == sanitizedLabel,
            "sanitizeLabelName is not idempotent on \(quoted(name))"
        )
        if validLabel, !name.hasPrefix("__") {
            fuzzCheck(sanitizedLabel == name, "sanitizeLabelName changed the valid name \(quoted(name))")
        }
    }

    // The registry accepts only valid names. One registry serves many inputs (a name seen
    // before with another type is refused, which this check does not mind).
    let registry = Registries.next()
    let registered: Bool = runBlocking {
        do {
            switch type {
            case 0: _ = try await registry.makeCounterFamily(name: metric, help: "h", labelNames: [label])
            case 1: _ = try await registry.makeGaugeFamily(name: metric, help: "h", labelNames: [label])
            case 2: _ = try await registry.makeHistogramFamily(name: metric, help: "h", labelNames: [label])
            default: _ = try await registry.makeInfoFamily(name: metric, help: "h", labelNames: [label])
            }
            return true
        } catch {
            return false
        }
    }
    if registered {
        fuzzCheck(
            MetricNameRules.isValidMetricName(metric) && MetricNameRules.isValidLabelName(label),
            "the registry accepted the family \(quoted(metric)) with the label \(quoted(label))"
        )
    }
    return 0
}

/// A registry reused for a thousand inputs, then replaced, so that memory stays bounded.
enum Registries {
    nonisolated(unsafe) static var current = RegistryActor(
        configuration: RegistryConfiguration(exposeSelfMetrics: false)
    )
    nonisolated(unsafe) static var uses = 0

    /// Called from libFuzzer's single thread only.
    static func next() -> RegistryActor {
        uses += 1
        if uses % 1000 == 0 { current = RegistryActor(configuration: RegistryConfiguration(exposeSelfMetrics: false)) }
        return current
    }
}

enum Reference {
    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func matches(_ name: String, allowColon: Bool) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first else { return false }
        let colon = UInt8(ascii: ":")
        let underscore = UInt8(ascii: "_")
        guard isLetter(first) || first == underscore || (allowColon && first == colon) else { return false }
        return bytes.dropFirst().allSatisfy {
            isLetter($0) || isDigit($0) || $0 == underscore || (allowColon && $0 == colon)
        }
    }

    static func sanitize(_ name: String, collapseReservedPrefix: Bool) -> String {
        var result = ""
        for scalar in name.unicodeScalars {
            let keep =
                scalar.isASCII && (isLetter(UInt8(scalar.value)) || isDigit(UInt8(scalar.value)) || scalar == "_")
            result.unicodeScalars.append(keep ? scalar : "_")
        }
        if let first = result.utf8.first, isDigit(first) { result = "_" + result }
        if result.isEmpty { result = "_" }
        if collapseReservedPrefix, result.hasPrefix("__") {
            result = "_" + result.drop(while: { $0 == "_" })
        }
        return result
    }
}
