/// Writes families in the Prometheus protobuf exposition format: each family one
/// `io.prometheus.client.MetricFamily` message (schema: the `metrics.proto` of
/// prometheus/client_model) preceded by its length as a varint, as client_golang's
/// `expfmt` writes `application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;
/// encoding=delimited`.
///
/// Like ``ExpositionEncoder`` it appends straight into one buffer: registered families from
/// their series tables (``MetricFamily``), pull-collector and self-metric families from their
/// snapshots. What it writes, field by field:
/// - the family `name` as text 0.0.4 prints it (counters with `_total`, info families with
///   `_info`), `help` unescaped, `type` (info families as `GAUGE`, value 1, as client_golang has
///   no info type), `unit` when the family has one; families without series are left out;
/// - each series' labels in declared order, values unescaped;
/// - counters: value, latest exemplar, `created_timestamp`;
/// - histograms: count, sum, the classic buckets (the `+Inf` bucket only when it carries an
///   exemplar, as client_golang does), `created_timestamp`, and for families with native
///   buckets the schema, zero threshold and count, spans and deltas of both signs (gaps of up
///   to two empty buckets inside one span, as client_golang does) and the exemplars again in
///   `exemplars`;
/// - no timestamps (Prometheus stamps samples with the scrape time).
///
/// Repeated scalar fields are unpacked, the proto2 default for `metrics.proto`.
struct ProtobufEncoder {
    private typealias Wire = ProtobufWire

    // Field numbers of metrics.proto.
    private enum Field {
        static let familyName = 1, familyHelp = 2, familyType = 3, familyMetric = 4, familyUnit = 5
        static let metricLabel = 1, metricGauge = 2, metricCounter = 3, metricHistogram = 7
        static let labelName = 1, labelValue = 2
        static let gaugeValue = 1
        static let counterValue = 1, counterExemplar = 2, counterCreated = 3
        static let histogramCount = 1, histogramSum = 2, histogramBucket = 3, histogramSchema = 5
        static let histogramZeroThreshold = 6, histogramZeroCount = 7
        static let histogramNegativeSpan = 9, histogramNegativeDelta = 10
        static let histogramPositiveSpan = 12, histogramPositiveDelta = 13
        static let histogramCreated = 15, histogramExemplars = 16
        static let bucketCount = 1, bucketUpperBound = 2, bucketExemplar = 3
        static let spanOffset = 1, spanLength = 2
        static let exemplarLabel = 1, exemplarValue = 2, exemplarTimestamp = 3
    }

    // MetricType values of metrics.proto.
    private enum TypeValue {
        static let counter: UInt64 = 0, gauge: UInt64 = 1, histogram: UInt64 = 4
    }

    init() {}

    /// Writes one snapshot family.
    func encode(_ family: FamilySnapshot, scratch: inout ProtobufScratch, into out: inout [UInt8]) {
        guard !family.series.isEmpty else { return }
        let start = out.count
        let mark = beginFamily(family.descriptor, into: &out)
        scratch.native.copy(nil)
        for series in family.series {
            encodeSeries(
                family.descriptor,
                key: series.key,
                value: series.value,
                bucketCounts: family.bucketCounts,
                scratch: &scratch,
                into: &out
            )
        }
        endFamily(at: mark, from: start, seriesCount: family.series.count, into: &out)
    }

    /// Opens a family's length-delimited message and writes its metadata; returns the mark
    /// ``endFamily(at:from:seriesCount:into:)`` needs.
    func beginFamily(_ descriptor: MetricDescriptor, into out: inout [UInt8]) -> Int {
        let mark = Wire.beginMessage(nil, into: &out)
        let suffix = descriptor.metadataSuffix(in: .protobuf)
        Wire.appendTag(Field.familyName, Wire.lengthDelimited, to: &out)
        Wire.appendVarint(UInt64(descriptor.name.utf8.count + suffix.utf8.count), to: &out)
        out.append(contentsOf: descriptor.name.utf8)
        out.append(contentsOf: suffix.utf8)
        if let help = descriptor.help {
            Wire.appendStringField(Field.familyHelp, help, to: &out)
        }
        let type: UInt64
        switch descriptor.type {
        case .counter: type = TypeValue.counter
        case .gauge, .info: type = TypeValue.gauge
        case .histogram: type = TypeValue.histogram
        }
        Wire.appendVarintField(Field.familyType, type, to: &out)
        if let unit = descriptor.unit {
            Wire.appendStringField(Field.familyUnit, unit, to: &out)
        }
        return mark
    }

    /// Closes the family begun at `mark` (`start` is the buffer's size before it began); a
    /// family without series is removed again, as client_golang drops empty families.
    func endFamily(at mark: Int, from start: Int, seriesCount: Int, into out: inout [UInt8]) {
        if seriesCount == 0 {
            Wire.discardMessage(from: start, into: &out)
        } else {
            Wire.endMessage(at: mark, into: &out)
        }
    }

    /// Writes one series as a `Metric` message of the family last begun; histogram values index
    /// `bucketCounts`, and `scratch.native` holds the series' native buckets when it has them.
    func encodeSeries(
        _ descriptor: MetricDescriptor,
        key: String,
        value: SeriesValue,
        bucketCounts: BucketCounts,
        scratch: inout ProtobufScratch,
        into out: inout [UInt8]
    ) {
        let metric = Wire.beginMessage(Field.familyMetric, into: &out)
        writeLabels(names: descriptor.labelNames, key: key, into: &out)
        switch value.storage {
        case .counter(let total, let created, let exemplar):
            let counter = Wire.beginMessage(Field.metricCounter, into: &out)
            Wire.appendDoubleField(Field.counterValue, total, to: &out)
            if let exemplar { writeExemplar(Field.counterExemplar, exemplar, into: &out) }
            if created > 0 { Wire.appendTimestampField(Field.counterCreated, seconds: created, to: &out) }
            Wire.endMessage(at: counter, into: &out)
        case .gauge(let level):
            writeGauge(level, into: &out)
        case .info:
            writeGauge(1, into: &out)
        case .histogram(let range, let sum, let created, let exemplars):
            writeHistogram(
                descriptor.buckets,
                bucketCounts.values[range],
                sum,
                created,
                exemplars,
                scratch: &scratch,
                into: &out
            )
        }
        Wire.endMessage(at: metric, into: &out)
    }

    private func writeGauge(_ value: Double, into out: inout [UInt8]) {
        let gauge = Wire.beginMessage(Field.metricGauge, into: &out)
        Wire.appendDoubleField(Field.gaugeValue, value, to: &out)
        Wire.endMessage(at: gauge, into: &out)
    }

    // MARK: Labels

    /// One `LabelPair` per name, values taken from the escaped ``LabelKey`` and unescaped
    /// (`\\`, `\"`, `\n` back to the characters they stand for).
    private func writeLabels(names: [String], key: String, into out: inout [UInt8]) {
        guard !names.isEmpty else { return }
        var key = key
        key.withUTF8 { bytes in
            var nameIndex = 0
            var segmentStart = 0
            var escapes = 0
            var index = 0
            func emit(end: Int) {
                guard nameIndex < names.count else { return }
                let name = names[nameIndex].utf8
                let valueLength = end - segmentStart - escapes
                let pairLength =
                    1 + Wire.varintSize(UInt64(name.count)) + name.count
                    + 1 + Wire.varintSize(UInt64(valueLength)) + valueLength
                Wire.appendTag(Field.metricLabel, Wire.lengthDelimited, to: &out)
                Wire.appendVarint(UInt64(pairLength), to: &out)
                Wire.appendBytesField(Field.labelName, name, to: &out)
                Wire.appendTag(Field.labelValue, Wire.lengthDelimited, to: &out)
                Wire.appendVarint(UInt64(valueLength), to: &out)
                if escapes == 0 {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart..<end]))
                } else {
                    var position = segmentStart
                    while position < end {
                        let byte = bytes[position]
                        if byte == UInt8(ascii: "\\"), position + 1 < end {
                            let escaped = bytes[position + 1]
                            out.append(escaped == UInt8(ascii: "n") ? UInt8(ascii: "\n") : escaped)
                            position += 2
                        } else {
                            out.append(byte)
                            position += 1
                        }
                    }
                }
                nameIndex += 1
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") {
                    escapes += 1
                    index += 2
                    continue
                }
                if byte == LabelKey.separator {
                    emit(end: index)
                    segmentStart = index + 1
                    escapes = 0
                }
                index += 1
            }
            emit(end: bytes.count)
        }
    }

    // MARK: Exemplars

    /// An `Exemplar` message in field `number`: labels sorted by name, value, timestamp.
    private func writeExemplar(_ number: Int, _ exemplar: Exemplar, into out: inout [UInt8]) {
        let message = Wire.beginMessage(number, into: &out)
        for name in exemplar.labels.keys.sorted() {
            let pair = Wire.beginMessage(Field.exemplarLabel, into: &out)
            Wire.appendStringField(Field.labelName, name, to: &out)
            Wire.appendStringField(Field.labelValue, exemplar.labels[name] ?? "", to: &out)
            Wire.endMessage(at: pair, into: &out)
        }
        Wire.appendDoubleField(Field.exemplarValue, exemplar.value, to: &out)
        if let timestamp = exemplar.timestamp {
            Wire.appendTimestampField(Field.exemplarTimestamp, seconds: timestamp, to: &out)
        }
        Wire.endMessage(at: message, into: &out)
    }

    // MARK: Histograms

    private func writeHistogram(
        _ bounds: [Double],
        _ cumulative: ArraySlice<UInt64>,
        _ sum: Double,
        _ created: Double,
        _ exemplars: [Exemplar?],
        scratch: inout ProtobufScratch,
        into out: inout [UInt8]
    ) {
        let histogram = Wire.beginMessage(Field.metricHistogram, into: &out)
        let count = cumulative.last ?? 0
        Wire.appendVarintField(Field.histogramCount, count, to: &out)
        Wire.appendDoubleField(Field.histogramSum, sum, to: &out)
        for (index, cumulativeCount) in zip(0..., cumulative) {
            let exemplar = index < exemplars.count ? exemplars[index] : nil
            // The +Inf bucket (the last count) is implied by the sample count unless it carries
            // an exemplar.
            guard index < bounds.count || exemplar != nil else { continue }
            let bucket = Wire.beginMessage(Field.histogramBucket, into: &out)
            Wire.appendVarintField(Field.bucketCount, cumulativeCount, to: &out)
            Wire.appendDoubleField(Field.bucketUpperBound, index < bounds.count ? bounds[index] : .infinity, to: &out)
            if let exemplar { writeExemplar(Field.bucketExemplar, exemplar, into: &out) }
            Wire.endMessage(at: bucket, into: &out)
        }
        if created > 0 { Wire.appendTimestampField(Field.histogramCreated, seconds: created, to: &out) }
        if scratch.native.isPresent {
            writeNative(&scratch, into: &out)
            for case let exemplar? in exemplars where exemplar.timestamp != nil {
                writeExemplar(Field.histogramExemplars, exemplar, into: &out)
            }
        }
        Wire.endMessage(at: histogram, into: &out)
    }

    /// Schema, zero bucket, and the spans and deltas of both signs.
    private func writeNative(_ scratch: inout ProtobufScratch, into out: inout [UInt8]) {
        let native = scratch.native
        let zeroThreshold = native.zeroThreshold
        Wire.appendZigzagField(Field.histogramSchema, Int64(native.schema), to: &out)
        Wire.appendDoubleField(Field.histogramZeroThreshold, zeroThreshold, to: &out)
        Wire.appendVarintField(Field.histogramZeroCount, native.zeroCount, to: &out)
        let negative = writeBuckets(
            native.negative,
            spanField: Field.histogramNegativeSpan,
            deltaField: Field.histogramNegativeDelta,
            scratch: &scratch,
            into: &out
        )
        let positive = writeBuckets(
            native.positive,
            spanField: Field.histogramPositiveSpan,
            deltaField: Field.histogramPositiveDelta,
            scratch: &scratch,
            into: &out
        )
        if !negative, !positive, zeroThreshold == 0, native.zeroCount == 0 {
            // A no-op span tells a native histogram without observations (and without a zero
            // bucket width) from a classic one.
            writeSpan(offset: 0, length: 0, field: Field.histogramPositiveSpan, into: &out)
        }
    }

    /// The spans and deltas of one window; false when it is empty. Runs of up to two empty
    /// buckets stay inside a span (as zero deltas); longer gaps start a new span.
    private func writeBuckets(
        _ window: NativeBuckets.Window,
        spanField: Int,
        deltaField: Int,
        scratch: inout ProtobufScratch,
        into out: inout [UInt8]
    ) -> Bool {
        guard !window.counts.isEmpty else { return false }
        scratch.spanOffsets.removeAll(keepingCapacity: true)
        scratch.spanLengths.removeAll(keepingCapacity: true)
        scratch.deltas.removeAll(keepingCapacity: true)
        var previousKey: Int32?
        var previousCount: Int64 = 0
        for (index, count) in window.counts.enumerated() where count != 0 {
            let key = window.offset + Int32(index)
            if let last = previousKey {
                let gap = key - last - 1
                if gap > 2 {
                    scratch.spanOffsets.append(gap)
                    scratch.spanLengths.append(0)
                } else {
                    for _ in 0..<gap {
                        scratch.spanLengths[scratch.spanLengths.count - 1] += 1
                        scratch.deltas.append(-previousCount)
                        previousCount = 0
                    }
                }
            } else {
                scratch.spanOffsets.append(key)
                scratch.spanLengths.append(0)
            }
            let current = Int64(truncatingIfNeeded: count)
            scratch.spanLengths[scratch.spanLengths.count - 1] += 1
            scratch.deltas.append(current &- previousCount)
            previousCount = current
            previousKey = key
        }
        for (offset, length) in zip(scratch.spanOffsets, scratch.spanLengths) {
            writeSpan(offset: offset, length: length, field: spanField, into: &out)
        }
        for delta in scratch.deltas {
            Wire.appendZigzagField(deltaField, delta, to: &out)
        }
        return true
    }

    private func writeSpan(offset: Int32, length: UInt32, field: Int, into out: inout [UInt8]) {
        let span = Wire.beginMessage(field, into: &out)
        Wire.appendZigzagField(Field.spanOffset, Int64(offset), to: &out)
        Wire.appendVarintField(Field.spanLength, UInt64(length), to: &out)
        Wire.endMessage(at: span, into: &out)
    }
}
