/// Checks one sample against the rules of its family's type: required and reserved labels,
/// allowed values, exemplar placement.
struct SampleRules {
    let familyName: String
    let type: ParsedMetricType
    let syntax: ExpositionSyntax

    /// Validates `sample` (found on `line`) and returns its record.
    func check(_ sample: ParsedSample, line: Int) throws(ExpositionParseError) -> SampleRecord {
        let suffix = String(sample.name.dropFirst(familyName.count))
        let context = Context(sample: sample, suffix: suffix, line: line)
        try checkReservedLabels(context)
        try checkExemplar(context)
        let bound = try checkTypeRules(context)
        return SampleRecord(
            sample: sample,
            suffix: suffix,
            group: groupKey(sample, suffix: suffix),
            bucketBound: bound,
            line: line
        )
    }

    private struct Context {
        let sample: ParsedSample
        let suffix: String
        let line: Int

        func failure(_ reason: String) -> ExpositionParseError {
            ExpositionParseError(line: line, reason: "\(sample.name): \(reason)")
        }
    }

    // MARK: Labels

    private func checkReservedLabels(_ context: Context) throws(ExpositionParseError) {
        let labels = context.sample.labels
        if let reserved = labels.keys.sorted().first(where: { $0.hasPrefix("__") }) {
            throw context.failure("label name '\(reserved)' uses the reserved '__' prefix")
        }
        if type.hasBuckets, context.suffix != "_bucket", labels["le"] != nil {
            throw context.failure("the 'le' label is reserved for _bucket samples of a \(type.rawValue)")
        }
        if type == .summary, context.suffix != "", labels["quantile"] != nil {
            throw context.failure("the 'quantile' label is reserved for quantile samples of a summary")
        }
    }

    private func checkExemplar(_ context: Context) throws(ExpositionParseError) {
        guard context.sample.exemplar != nil else { return }
        guard type.allowsExemplar(onSuffix: context.suffix) else {
            throw context.failure("exemplars are only allowed on counter _total and histogram _bucket samples")
        }
    }

    private func groupKey(_ sample: ParsedSample, suffix: String) -> [String: String] {
        var group = sample.labels
        if type.hasBuckets, suffix == "_bucket" { group["le"] = nil }
        if type == .summary, suffix == "" { group["quantile"] = nil }
        if type == .stateset { group[familyName] = nil }
        return group
    }

    // MARK: Values

    /// Applies the per-type rules; returns the `le` bound of bucket samples.
    private func checkTypeRules(_ context: Context) throws(ExpositionParseError) -> Double? {
        let value = context.sample.value
        switch (type, context.suffix) {
        case (.counter, "_total"), (.counter, ""):
            try requireNonNegative(value, context)
        case (.histogram, "_bucket"), (.gaugehistogram, "_bucket"):
            try requireCount(value, context)
            return try bound(named: "le", context)
        case (.histogram, "_count"), (.gaugehistogram, "_gcount"), (.summary, "_count"):
            try requireCount(value, context)
        case (.histogram, "_sum"), (.summary, "_sum"):
            if syntax == .openMetrics { try requireNonNegative(value, context) }
        case (.gaugehistogram, "_gsum"):
            guard !value.isNaN else { throw context.failure("_gsum must not be NaN") }
        case (.summary, ""):
            try checkQuantile(context)
        case (.stateset, _):
            try checkState(context)
        case (.info, _):
            guard value == 1 else { throw context.failure("info samples must have the value 1, found \(value)") }
        default:
            break
        }
        return nil
    }

    private func checkQuantile(_ context: Context) throws(ExpositionParseError) {
        let quantile = try bound(named: "quantile", context)
        guard quantile >= 0, quantile <= 1 else {
            throw context.failure("quantile \(quantile) is outside [0, 1]")
        }
        if syntax == .openMetrics, context.sample.value < 0 {
            throw context.failure("summary quantile values must not be negative")
        }
    }

    private func checkState(_ context: Context) throws(ExpositionParseError) {
        guard context.sample.labels[familyName] != nil else {
            throw context.failure("stateset samples need a '\(familyName)' label naming the state")
        }
        guard context.sample.value == 0 || context.sample.value == 1 else {
            throw context.failure("stateset values must be 0 or 1, found \(context.sample.value)")
        }
    }

    /// Counter-like values: never NaN, never negative.
    private func requireNonNegative(_ value: Double, _ context: Context) throws(ExpositionParseError) {
        guard !value.isNaN, value >= 0 else {
            throw context.failure("value must not be negative or NaN, found \(value)")
        }
    }

    /// Bucket and count values: non-negative; in OpenMetrics also a finite integer.
    private func requireCount(_ value: Double, _ context: Context) throws(ExpositionParseError) {
        try requireNonNegative(value, context)
        if syntax == .openMetrics, !(value.isFinite && value.rounded(.towardZero) == value) {
            throw context.failure("value must be an integer, found \(value)")
        }
    }

    /// Parses a required `le` / `quantile` label (never NaN; OpenMetrics infinities spelled `+Inf`/`-Inf`).
    private func bound(named label: String, _ context: Context) throws(ExpositionParseError) -> Double {
        guard let text = context.sample.labels[label] else {
            throw context.failure("missing the '\(label)' label")
        }
        let parsed = syntax == .openMetrics
            ? NumberSyntax.openMetricsBound(text)
            : NumberSyntax.goFloat(ArraySlice(text.utf8))
        guard let value = parsed, !value.isNaN else {
            throw context.failure("invalid \(label) value \"\(text)\"")
        }
        return value
    }
}
