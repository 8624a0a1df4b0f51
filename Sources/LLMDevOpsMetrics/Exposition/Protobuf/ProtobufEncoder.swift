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
    ///
    /// The whole message goes into capacity reserved once (``ProtobufCursor``): its bound is
    /// computed first from the key, the label names, the bucket count and the exemplars.
    func encodeSeries(
        _ descriptor: MetricDescriptor,
        key: String,
        value: SeriesValue,
        bucketCounts: BucketCounts,
        scratch: inout ProtobufScratch,
        into out: inout [UInt8]
    ) {
        typealias Cursor = ProtobufCursor
        var bound = Cursor.messageBound + Self.labelsBound(names: descriptor.labelNames, key: key)
        switch value.storage {
        case .counter(_, _, let exemplar):
            bound += Cursor.messageBound + Cursor.doubleFieldBound + Cursor.timestampFieldBound
            if let exemplar { bound += Self.exemplarBound(exemplar) }
        case .gauge, .info:
            bound += Cursor.messageBound + Cursor.doubleFieldBound
        case .histogram(let range, _, _, let exemplars):
            bound +=
                Cursor.messageBound + Cursor.varintFieldBound + Cursor.doubleFieldBound + Cursor.timestampFieldBound
                + range.count * (Cursor.messageBound + Cursor.varintFieldBound + Cursor.doubleFieldBound)
            if !exemplars.isEmpty {
                for case let exemplar? in exemplars {
                    // Once in its bucket, and again in `exemplars` when the series is native.
                    bound += 2 * Self.exemplarBound(exemplar)
                }
            }
            if scratch.native.isPresent {
                scratch.prepareNativeSpans()
                bound += scratch.nativeBound
            }
        }
        out.appendProtobuf(atMost: bound) { cursor in
            let metric = cursor.beginMessage(Field.familyMetric)
            writeLabels(names: descriptor.labelNames, key: key, into: &cursor)
            switch value.storage {
            case .counter(let total, let created, let exemplar):
                let counter = cursor.beginMessage(Field.metricCounter)
                cursor.doubleField(Field.counterValue, total)
                if let exemplar { writeExemplar(Field.counterExemplar, exemplar, into: &cursor) }
                if created > 0 { cursor.timestampField(Field.counterCreated, seconds: created) }
                cursor.endMessage(at: counter)
            case .gauge(let level):
                writeGauge(level, into: &cursor)
            case .info:
                writeGauge(1, into: &cursor)
            case .histogram(let range, let sum, let created, let exemplars):
                writeHistogram(
                    descriptor.buckets,
                    bucketCounts.values[range],
                    sum,
                    created,
                    exemplars,
                    scratch: &scratch,
                    into: &cursor
                )
            }
            cursor.endMessage(at: metric)
        }
    }

    private func writeGauge(_ value: Double, into cursor: inout ProtobufCursor) {
        let gauge = cursor.beginMessage(Field.metricGauge)
        cursor.doubleField(Field.gaugeValue, value)
        cursor.endMessage(at: gauge)
    }

    // MARK: Labels

    /// The most bytes ``writeLabels(names:key:into:)`` writes: the key's bytes (unescaping only
    /// shortens them), the names, and per pair three tags and lengths.
    private static func labelsBound(names: [String], key: String) -> Int {
        var bound = key.utf8.count
        for name in names { bound += name.utf8.count + 3 * ProtobufCursor.messageBound }
        return bound
    }

    /// One `LabelPair` per name, values taken from the escaped ``LabelKey`` and unescaped
    /// (`\\`, `\"`, `\n` back to the characters they stand for).
    private func writeLabels(names: [String], key: String, into cursor: inout ProtobufCursor) {
        guard !names.isEmpty else { return }
        var key = key
        key.withUTF8 { bytes in
            var nameIndex = 0
            var segmentStart = 0
            var escapes = 0
            var index = 0
            func emit(end: Int) {
                guard nameIndex < names.count else { return }
                var name = names[nameIndex]
                let valueLength = end - segmentStart - escapes
                name.withUTF8 { name in
                    let pairLength =
                        1 + ProtobufWire.varintSize(UInt64(name.count)) + name.count
                        + 1 + ProtobufWire.varintSize(UInt64(valueLength)) + valueLength
                    cursor.tag(Field.metricLabel, ProtobufWire.lengthDelimited)
                    cursor.varint(UInt64(pairLength))
                    cursor.bytesField(Field.labelName, UnsafeRawBufferPointer(name))
                }
                cursor.tag(Field.labelValue, ProtobufWire.lengthDelimited)
                cursor.varint(UInt64(valueLength))
                if escapes == 0 {
                    cursor.write(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[segmentStart..<end]))
                } else {
                    var position = segmentStart
                    while position < end {
                        let byte = bytes[position]
                        if byte == UInt8(ascii: "\\"), position + 1 < end {
                            let escaped = bytes[position + 1]
                            cursor.write(escaped == UInt8(ascii: "n") ? UInt8(ascii: "\n") : escaped)
                            position += 2
                        } else {
                            cursor.write(byte)
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

    /// The most bytes ``writeExemplar(_:_:into:)`` writes for `exemplar`.
    private static func exemplarBound(_ exemplar: Exemplar) -> Int {
        var bound = ProtobufCursor.messageBound + ProtobufCursor.doubleFieldBound + ProtobufCursor.timestampFieldBound
        for (name, value) in exemplar.labels {
            bound += 3 * ProtobufCursor.messageBound + name.utf8.count + value.utf8.count
        }
        return bound
    }

    /// An `Exemplar` message in field `number`: labels sorted by name, value, timestamp.
    private func writeExemplar(_ number: Int, _ exemplar: Exemplar, into cursor: inout ProtobufCursor) {
        let message = cursor.beginMessage(number)
        for name in exemplar.labels.keys.sorted() {
            let pair = cursor.beginMessage(Field.exemplarLabel)
            cursor.stringField(Field.labelName, name)
            cursor.stringField(Field.labelValue, exemplar.labels[name] ?? "")
            cursor.endMessage(at: pair)
        }
        cursor.doubleField(Field.exemplarValue, exemplar.value)
        if let timestamp = exemplar.timestamp {
            cursor.timestampField(Field.exemplarTimestamp, seconds: timestamp)
        }
        cursor.endMessage(at: message)
    }

    // MARK: Histograms

    private func writeHistogram(
        _ bounds: [Double],
        _ cumulative: ArraySlice<UInt64>,
        _ sum: Double,
        _ created: Double,
        _ exemplars: [Exemplar?],
        scratch: inout ProtobufScratch,
        into cursor: inout ProtobufCursor
    ) {
        let histogram = cursor.beginMessage(Field.metricHistogram)
        let count = cumulative.last ?? 0
        cursor.varintField(Field.histogramCount, count)
        cursor.doubleField(Field.histogramSum, sum)
        var index = 0
        for cumulativeCount in cumulative {
            defer { index += 1 }
            let exemplar = index < exemplars.count ? exemplars[index] : nil
            // The +Inf bucket (the last count) is implied by the sample count unless it carries
            // an exemplar.
            guard index < bounds.count || exemplar != nil else { continue }
            let bucket = cursor.beginMessage(Field.histogramBucket)
            cursor.varintField(Field.bucketCount, cumulativeCount)
            cursor.doubleField(Field.bucketUpperBound, index < bounds.count ? bounds[index] : .infinity)
            if let exemplar { writeExemplar(Field.bucketExemplar, exemplar, into: &cursor) }
            cursor.endMessage(at: bucket)
        }
        if created > 0 { cursor.timestampField(Field.histogramCreated, seconds: created) }
        if scratch.native.isPresent {
            writeNative(&scratch, into: &cursor)
            for case let exemplar? in exemplars where exemplar.timestamp != nil {
                writeExemplar(Field.histogramExemplars, exemplar, into: &cursor)
            }
        }
        cursor.endMessage(at: histogram)
    }

    /// Schema, zero bucket, and the spans and deltas of both signs (prepared by
    /// ``ProtobufScratch/prepareNativeSpans()``).
    private func writeNative(_ scratch: inout ProtobufScratch, into cursor: inout ProtobufCursor) {
        cursor.zigzagField(Field.histogramSchema, Int64(scratch.native.schema))
        cursor.doubleField(Field.histogramZeroThreshold, scratch.native.zeroThreshold)
        cursor.varintField(Field.histogramZeroCount, scratch.native.zeroCount)
        let negative = 0..<scratch.negativeSpanCount
        let positive = scratch.negativeSpanCount..<scratch.spanOffsets.count
        writeSpans(&scratch, negative, Field.histogramNegativeSpan, into: &cursor)
        for delta in scratch.deltas[0..<scratch.negativeDeltaCount] {
            cursor.zigzagField(Field.histogramNegativeDelta, delta)
        }
        writeSpans(&scratch, positive, Field.histogramPositiveSpan, into: &cursor)
        for delta in scratch.deltas[scratch.negativeDeltaCount...] {
            cursor.zigzagField(Field.histogramPositiveDelta, delta)
        }
        if scratch.spanOffsets.isEmpty, scratch.native.zeroThreshold == 0, scratch.native.zeroCount == 0 {
            // A no-op span tells a native histogram without observations (and without a zero
            // bucket width) from a classic one.
            writeSpan(offset: 0, length: 0, field: Field.histogramPositiveSpan, into: &cursor)
        }
    }

    private func writeSpans(
        _ scratch: inout ProtobufScratch,
        _ range: Range<Int>,
        _ field: Int,
        into cursor: inout ProtobufCursor
    ) {
        for index in range {
            writeSpan(offset: scratch.spanOffsets[index], length: scratch.spanLengths[index], field: field, into: &cursor)
        }
    }

    private func writeSpan(offset: Int32, length: UInt32, field: Int, into cursor: inout ProtobufCursor) {
        let span = cursor.beginMessage(field)
        cursor.zigzagField(Field.spanOffset, Int64(offset))
        cursor.varintField(Field.spanLength, UInt64(length))
        cursor.endMessage(at: span)
    }
}
