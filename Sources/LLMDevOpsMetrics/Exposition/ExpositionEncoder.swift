/// Writes families as Prometheus text 0.0.4 or OpenMetrics 1.0.0 into a byte buffer: registered
/// families straight from their series tables (``MetricFamily``), pull-collector and
/// self-metric families from their snapshots (``FamilySnapshot``).
///
/// The registry hands families over sorted by the name each format prints and series sorted
/// by key; the encoder appends without building intermediate strings. Label values are copied
/// from the series keys, which are stored already escaped (see ``LabelKey``), into the label
/// part of a series once; each sample line is then written into capacity reserved once for
/// the whole line (``ByteCursor``).
struct ExpositionEncoder {
    let format: ExpositionFormat
    /// Emit OpenMetrics `_created` samples for counters and histograms.
    let exposeCreated: Bool

    /// Writes what ends an exposition: `# EOF` in OpenMetrics, nothing in text 0.0.4.
    func finish(into out: inout [UInt8]) {
        if format == .openMetrics {
            out.append(contentsOf: "# EOF\n".utf8)
        }
    }

    private var isOpenMetrics: Bool { format == .openMetrics }

    /// Writes one snapshot family.
    func encode(_ family: FamilySnapshot, scratch: inout ExpositionScratch, into out: inout [UInt8]) {
        beginFamily(family.descriptor, scratch: &scratch, into: &out)
        for series in family.series {
            prepareLabels(family.descriptor, key: series.key, scratch: &scratch)
            encodeSeries(
                family.descriptor,
                value: series.value,
                bucketCounts: family.bucketCounts,
                scratch: scratch,
                into: &out
            )
        }
    }

    /// Writes a family's metadata lines and keeps its name and canonical `le` values in `scratch`
    /// (formatted once per family rather than once per line).
    func beginFamily(_ descriptor: MetricDescriptor, scratch: inout ExpositionScratch, into out: inout [UInt8]) {
        writeMetadata(descriptor, into: &out)
        scratch.name.removeAll(keepingCapacity: true)
        scratch.name.append(contentsOf: descriptor.name.utf8)
        scratch.leBytes.removeAll(keepingCapacity: true)
        scratch.leEnds.removeAll(keepingCapacity: true)
        for bound in descriptor.buckets {
            FloatFormatter.appendLeLabel(bound, to: &scratch.leBytes)
            scratch.leEnds.append(scratch.leBytes.count)
        }
    }

    /// Writes the labels of the series `key` into `scratch` once, for every line of the series
    /// that ``encodeSeries(_:value:bucketCounts:scratch:into:)`` writes next.
    func prepareLabels(_ descriptor: MetricDescriptor, key: String, scratch: inout ExpositionScratch) {
        scratch.labels.removeAll(keepingCapacity: true)
        LabelKey.appendLabels(names: descriptor.labelNames, key: key, to: &scratch.labels)
    }

    /// Writes the sample lines of one series of the family last begun with
    /// ``beginFamily(_:scratch:into:)``, whose labels were last prepared with
    /// ``prepareLabels(_:key:scratch:)``; histogram values index `bucketCounts`.
    func encodeSeries(
        _ descriptor: MetricDescriptor,
        value: SeriesValue,
        bucketCounts: BucketCounts,
        scratch: ExpositionScratch,
        into out: inout [UInt8]
    ) {
        switch value.storage {
        case .counter(let value, let created, let exemplar):
            let withExemplar = isOpenMetrics && exemplar != nil
            writeSample("_total", scratch, ends: !withExemplar, into: &out) {
                FloatFormatter.writeValue(value, to: &$0)
            }
            if withExemplar, let exemplar {
                writeExemplar(exemplar, into: &out)
                out.append(newline)
            }
            if isOpenMetrics && exposeCreated {
                writeSample("_created", scratch, into: &out) { FloatFormatter.writeValue(created, to: &$0) }
            }
        case .gauge(let value):
            writeSample("", scratch, into: &out) { FloatFormatter.writeValue(value, to: &$0) }
        case .histogram(let range, let sum, let created, let exemplars):
            writeHistogram(
                scratch, descriptor.buckets, bucketCounts.values[range], sum, created, exemplars, into: &out
            )
        case .info:
            writeSample("_info", scratch, into: &out) { $0.write(UInt8(ascii: "1")) }
        }
    }

    private var newline: UInt8 { UInt8(ascii: "\n") }

    private func writeMetadata(_ descriptor: MetricDescriptor, into out: inout [UInt8]) {
        // Appending the suffix (rather than building the longer name) keeps names off the heap.
        let name = descriptor.name
        let suffix = descriptor.metadataSuffix(in: format)
        if !isOpenMetrics, let help = descriptor.help {
            writeHelp(name, suffix, help, into: &out)
        }
        out.append(contentsOf: "# TYPE ".utf8)
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: suffix.utf8)
        out.append(UInt8(ascii: " "))
        switch descriptor.type {
        case .info: out.append(contentsOf: (isOpenMetrics ? "info" : "gauge").utf8)
        case .counter, .gauge, .histogram: out.append(contentsOf: descriptor.type.rawValue.utf8)
        }
        out.append(newline)
        guard isOpenMetrics else { return }
        if let unit = descriptor.unit {
            out.append(contentsOf: "# UNIT ".utf8)
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: suffix.utf8)
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: unit.utf8)
            out.append(newline)
        }
        if let help = descriptor.help {
            writeHelp(name, suffix, help, into: &out)
        }
    }

    private func writeHelp(_ name: String, _ suffix: String, _ help: String, into out: inout [UInt8]) {
        out.append(contentsOf: "# HELP ".utf8)
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: suffix.utf8)
        out.append(UInt8(ascii: " "))
        MetricNameRules.appendEscapedHelp(help, openMetrics: isOpenMetrics, to: &out)
        out.append(newline)
    }

    /// The most bytes a sample line's value part takes: a number (or `1`) and the newline.
    private static let valueBound = FloatFormatter.maxLength + 1

    /// Writes `name+suffix{labels} `, then what `value` writes (at most ``FloatFormatter/maxLength``
    /// bytes), then the newline when `ends`: one capacity check for the whole line.
    @inline(__always)
    private func writeSample(
        _ suffix: StaticString,
        _ scratch: ExpositionScratch,
        ends: Bool = true,
        into out: inout [UInt8],
        value: (inout ByteCursor) -> Void
    ) {
        scratch.name.withUnsafeBytes { name in
            scratch.labels.withUnsafeBytes { labels in
                let bound = name.count + suffix.utf8CodeUnitCount + labels.count + 3 + Self.valueBound
                out.appendBytes(atMost: bound) { cursor in
                    cursor.write(name)
                    cursor.write(suffix)
                    if !labels.isEmpty {
                        cursor.write(UInt8(ascii: "{"))
                        cursor.write(labels)
                        cursor.write(UInt8(ascii: "}"))
                    }
                    cursor.write(UInt8(ascii: " "))
                    value(&cursor)
                    if ends { cursor.write(UInt8(ascii: "\n")) }
                }
            }
        }
    }

    private func writeHistogram(
        _ scratch: ExpositionScratch,
        _ bounds: [Double],
        _ cumulative: ArraySlice<UInt64>,
        _ sum: Double,
        _ created: Double,
        _ exemplars: [Exemplar?],
        into out: inout [UInt8]
    ) {
        scratch.name.withUnsafeBytes { name in
            scratch.labels.withUnsafeBytes { labels in
                scratch.leBytes.withUnsafeBytes { leBytes in
                    for (index, count) in zip(0..., cumulative) {
                        var le = UnsafeRawBufferPointer(start: nil, count: 0)
                        if index < scratch.leEnds.count {
                            let start = index == 0 ? 0 : scratch.leEnds[index - 1]
                            le = UnsafeRawBufferPointer(rebasing: leBytes[start..<scratch.leEnds[index]])
                        }
                        let exemplar = isOpenMetrics && index < exemplars.count ? exemplars[index] : nil
                        // name_bucket{labels,le="bound"} count
                        let bound = name.count + labels.count + le.count + 20 + Self.valueBound
                        out.appendBytes(atMost: bound) { cursor in
                            cursor.write(name)
                            cursor.write("_bucket{")
                            if !labels.isEmpty {
                                cursor.write(labels)
                                cursor.write(UInt8(ascii: ","))
                            }
                            cursor.write("le=\"")
                            if le.isEmpty { cursor.write("+Inf") } else { cursor.write(le) }
                            cursor.write("\"} ")
                            FloatFormatter.writeInteger(count, to: &cursor)
                            if exemplar == nil { cursor.write(UInt8(ascii: "\n")) }
                        }
                        if let exemplar {
                            writeExemplar(exemplar, into: &out)
                            out.append(newline)
                        }
                    }
                }
            }
        }
        if !isOpenMetrics || Self.openMetricsAllowsSum(sum, bounds: bounds) {
            writeSample("_sum", scratch, into: &out) { FloatFormatter.writeValue(sum, to: &$0) }
            writeSample("_count", scratch, into: &out) { FloatFormatter.writeInteger(cumulative.last ?? 0, to: &$0) }
        }
        if isOpenMetrics && exposeCreated {
            writeSample("_created", scratch, into: &out) { FloatFormatter.writeValue(created, to: &$0) }
        }
    }

    /// Whether an OpenMetrics histogram series may carry its `_sum` (and so its `_count`).
    ///
    /// OpenMetrics 1.0 treats the sum as a counter: it "MUST NOT be NaN or negative", and a
    /// histogram with a negative bucket threshold "MUST NOT contain a sum value". `_count` may
    /// appear "if and only if" `_sum` does, so both go; the `+Inf` bucket still carries the
    /// count. Text 0.0.4 has no such rule and always prints both.
    static func openMetricsAllowsSum(_ sum: Double, bounds: [Double]) -> Bool {
        sum >= 0 && (bounds.first ?? 0) >= 0
    }

    /// ` # {a="b"} value timestamp`, labels sorted by name.
    private func writeExemplar(_ exemplar: Exemplar, into out: inout [UInt8]) {
        out.append(contentsOf: " # {".utf8)
        for (index, name) in exemplar.labels.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: "=\"".utf8)
            MetricNameRules.appendEscapedLabelValue(exemplar.labels[name] ?? "", to: &out)
            out.append(UInt8(ascii: "\""))
        }
        out.append(contentsOf: "} ".utf8)
        FloatFormatter.appendValue(exemplar.value, to: &out)
        if let timestamp = exemplar.timestamp {
            out.append(UInt8(ascii: " "))
            FloatFormatter.appendValue(timestamp, to: &out)
        }
    }
}
