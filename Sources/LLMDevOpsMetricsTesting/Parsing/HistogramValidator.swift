/// Checks the buckets of a histogram or gauge histogram family, one series group at a time.
///
/// Both formats: `le` strictly increasing, bucket counts cumulative (non-decreasing), a
/// `+Inf` bucket present and equal to `_count` / `_gcount` when that is present.
/// OpenMetrics also: `_sum` and `_count` (`_gsum` and `_gcount`) come together; a histogram
/// with negative buckets has no `_sum`; a negative `_gsum` needs a negative bucket.
///
/// OpenMetrics groups are contiguous, so a group is a run of consecutive samples with the
/// same group labels and timestamp. Text format groups are collected across the family.
struct HistogramValidator {
    let familyName: String
    let type: ParsedMetricType
    let syntax: ExpositionSyntax

    func validate(_ records: [SampleRecord]) throws(ExpositionParseError) {
        for group in groups(of: records) {
            try validateGroup(group)
        }
    }

    private func groups(of records: [SampleRecord]) -> [[SampleRecord]] {
        switch syntax {
        case .openMetrics:
            var runs: [[SampleRecord]] = []
            for record in records {
                if let previous = runs.last?.last,
                   previous.group == record.group, previous.sample.timestamp == record.sample.timestamp {
                    runs[runs.count - 1].append(record)
                } else {
                    runs.append([record])
                }
            }
            return runs
        case .prometheusText:
            var order: [[String: String]] = []
            var byGroup: [[String: String]: [SampleRecord]] = [:]
            for record in records {
                if byGroup[record.group] == nil { order.append(record.group) }
                byGroup[record.group, default: []].append(record)
            }
            return order.map { byGroup[$0] ?? [] }
        }
    }

    /// What one group's samples add up to.
    private struct Summary {
        var lastBound: Double?
        var lastBucketValue = 0.0
        var count: SampleRecord?
        var sum: SampleRecord?
        var hasNegativeBucket = false
        var lastLine = 0
    }

    private func validateGroup(_ records: [SampleRecord]) throws(ExpositionParseError) {
        var summary = Summary()
        for record in records {
            summary.lastLine = record.line
            switch record.suffix {
            case "_bucket":
                try addBucket(record, to: &summary)
            case "_count", "_gcount":
                summary.count = record
            case "_sum", "_gsum":
                summary.sum = record
            default:
                break
            }
        }
        let name = familyName + LabelSetDescription.describe(records.first?.group ?? [:])
        guard summary.lastBound == .infinity else {
            throw ExpositionParseError(line: summary.lastLine, reason: "\(type.rawValue) \(name) has no le=\"+Inf\" bucket")
        }
        if let count = summary.count, count.sample.value != summary.lastBucketValue {
            throw ExpositionParseError(
                line: count.line,
                reason: "\(count.sample.name) \(count.sample.value) does not equal the +Inf bucket \(summary.lastBucketValue)"
            )
        }
        if syntax == .openMetrics {
            try checkOpenMetricsPairing(summary, name: name)
        }
    }

    private func addBucket(_ record: SampleRecord, to summary: inout Summary) throws(ExpositionParseError) {
        guard let bound = record.bucketBound else { return }
        if let previous = summary.lastBound, bound <= previous {
            throw ExpositionParseError(line: record.line, reason: "bucket le=\(Self.format(bound)) does not increase after le=\(Self.format(previous))")
        }
        if record.sample.value < summary.lastBucketValue {
            throw ExpositionParseError(
                line: record.line,
                reason: "bucket le=\(Self.format(bound)) count \(record.sample.value) is below the previous bucket's \(summary.lastBucketValue); buckets are cumulative"
            )
        }
        summary.lastBound = bound
        summary.lastBucketValue = record.sample.value
        if bound < 0 { summary.hasNegativeBucket = true }
    }

    /// `+Inf`, `-Inf` or the plain number, for messages.
    private static func format(_ bound: Double) -> String {
        bound.isInfinite ? (bound > 0 ? "+Inf" : "-Inf") : "\(bound)"
    }

    private func checkOpenMetricsPairing(_ summary: Summary, name: String) throws(ExpositionParseError) {
        let (sumName, countName) = type == .histogram ? ("_sum", "_count") : ("_gsum", "_gcount")
        if let sum = summary.sum, summary.count == nil {
            throw ExpositionParseError(line: sum.line, reason: "\(name) has \(sumName) but no \(countName)")
        }
        if let count = summary.count, summary.sum == nil {
            throw ExpositionParseError(line: count.line, reason: "\(name) has \(countName) but no \(sumName)")
        }
        guard let sum = summary.sum else { return }
        if type == .histogram, summary.hasNegativeBucket {
            throw ExpositionParseError(line: sum.line, reason: "histogram \(name) has negative buckets, so it must not have _sum")
        }
        if type == .gaugehistogram, sum.sample.value < 0, !summary.hasNegativeBucket {
            throw ExpositionParseError(line: sum.line, reason: "gauge histogram \(name) has a negative _gsum but no negative bucket")
        }
    }
}
