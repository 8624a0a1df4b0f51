/// Enforces sample ordering within one family.
///
/// Both formats: a series (name + label set) appears once. OpenMetrics additionally (as the
/// conformance suite requires): the samples of a series group (labels minus `le`/`quantile`/
/// state label) are contiguous; within a group either all samples carry timestamps or none
/// do, and timestamps never go backwards. A series may repeat only with timestamps.
struct SeriesOrderTracker {
    private struct SeriesKey: Hashable {
        let name: String
        let labels: [String: String]
    }

    let syntax: ExpositionSyntax
    private var currentGroup: [String: String]?
    private var seenGroups: Set<[String: String]> = []
    private var lastTimestamp: Double?
    private var seenSeries: Set<SeriesKey> = []

    init(syntax: ExpositionSyntax) {
        self.syntax = syntax
    }

    mutating func record(_ record: SampleRecord) throws(ExpositionParseError) {
        let sample = record.sample
        if syntax == .openMetrics {
            try recordGroup(record)
        }
        let key = SeriesKey(name: sample.name, labels: sample.labels)
        let isRepeat = !seenSeries.insert(key).inserted
        if isRepeat, syntax == .prometheusText || sample.timestamp == nil {
            throw ExpositionParseError(
                line: record.line,
                reason: "duplicate series \(sample.name)\(LabelSetDescription.describe(sample.labels))"
            )
        }
    }

    private mutating func recordGroup(_ record: SampleRecord) throws(ExpositionParseError) {
        let timestamp = record.sample.timestamp
        if let currentGroup, currentGroup == record.group {
            try checkTimestamp(timestamp, record: record)
        } else {
            guard seenGroups.insert(record.group).inserted else {
                throw ExpositionParseError(
                    line: record.line,
                    reason: "samples of \(record.sample.name)\(LabelSetDescription.describe(record.group)) "
                        + "are not contiguous with the rest of their group"
                )
            }
            currentGroup = record.group
        }
        lastTimestamp = timestamp
    }

    private func checkTimestamp(_ timestamp: Double?, record: SampleRecord) throws(ExpositionParseError) {
        switch (lastTimestamp, timestamp) {
        case (nil, nil):
            return
        case let (previous?, current?):
            guard current >= previous else {
                throw ExpositionParseError(line: record.line, reason: "timestamps go backwards within a series group")
            }
        default:
            throw ExpositionParseError(line: record.line, reason: "a series group mixes samples with and without timestamps")
        }
    }
}
