/// Writes families as Prometheus text 0.0.4 or OpenMetrics 1.0.0 into a byte buffer: registered
/// families straight from their series tables (``MetricFamily``), pull-collector and
/// self-metric families from their snapshots (``FamilySnapshot``).
///
/// The registry hands families over sorted by the name each format prints and series sorted
/// by key; the encoder appends without building intermediate strings. Label segments are
/// copied from the series keys, which are stored already escaped (see ``LabelKey``).
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
            encodeSeries(
                family.descriptor,
                key: series.key,
                value: series.value,
                bucketCounts: family.bucketCounts,
                scratch: scratch,
                into: &out
            )
        }
    }

    /// Writes a family's metadata lines and keeps its canonical `le` values in `scratch`
    /// (formatted once per family rather than once per bucket line).
    func beginFamily(_ descriptor: MetricDescriptor, scratch: inout ExpositionScratch, into out: inout [UInt8]) {
        writeMetadata(descriptor, into: &out)
        scratch.leBytes.removeAll(keepingCapacity: true)
        scratch.leEnds.removeAll(keepingCapacity: true)
        for bound in descriptor.buckets {
            FloatFormatter.appendLeLabel(bound, to: &scratch.leBytes)
            scratch.leEnds.append(scratch.leBytes.count)
        }
    }

    /// Writes the sample lines of one series of the family last begun with ``beginFamily(_:scratch:into:)``;
    /// histogram values index `bucketCounts`.
    func encodeSeries(
        _ descriptor: MetricDescriptor,
        key: String,
        value: SeriesValue,
        bucketCounts: BucketCounts,
        scratch: ExpositionScratch,
        into out: inout [UInt8]
    ) {
        switch value.storage {
        case .counter(let value, let created, let exemplar):
            writeSample(descriptor.name, "_total", descriptor, key, into: &out)
            FloatFormatter.appendValue(value, to: &out)
            if isOpenMetrics, let exemplar { writeExemplar(exemplar, into: &out) }
            out.append(newline)
            if isOpenMetrics && exposeCreated {
                writeSample(descriptor.name, "_created", descriptor, key, into: &out)
                FloatFormatter.appendValue(created, to: &out)
                out.append(newline)
            }
        case .gauge(let value):
            writeSample(descriptor.name, "", descriptor, key, into: &out)
            FloatFormatter.appendValue(value, to: &out)
            out.append(newline)
        case .histogram(let range, let sum, let created, let exemplars):
            writeHistogram(
                descriptor,
                key,
                scratch,
                bucketCounts.values[range],
                sum,
                created,
                exemplars,
                into: &out
            )
        case .info:
            writeSample(descriptor.name, "_info", descriptor, key, into: &out)
            out.append(UInt8(ascii: "1"))
            out.append(newline)
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

    /// Writes `name+suffix{labels} ` (through the space before the value).
    private func writeSample(
        _ name: String,
        _ suffix: String,
        _ descriptor: MetricDescriptor,
        _ key: String,
        into out: inout [UInt8]
    ) {
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: suffix.utf8)
        if !descriptor.labelNames.isEmpty {
            out.append(UInt8(ascii: "{"))
            LabelKey.appendLabels(names: descriptor.labelNames, key: key, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: " "))
    }

    private func writeHistogram(
        _ descriptor: MetricDescriptor,
        _ key: String,
        _ scratch: ExpositionScratch,
        _ cumulative: ArraySlice<UInt64>,
        _ sum: Double,
        _ created: Double,
        _ exemplars: [Exemplar?],
        into out: inout [UInt8]
    ) {
        for (index, count) in zip(0..., cumulative) {
            out.append(contentsOf: descriptor.name.utf8)
            out.append(contentsOf: "_bucket{".utf8)
            if !descriptor.labelNames.isEmpty {
                LabelKey.appendLabels(names: descriptor.labelNames, key: key, to: &out)
                out.append(UInt8(ascii: ","))
            }
            out.append(contentsOf: "le=\"".utf8)
            if index < scratch.leEnds.count {
                let start = index == 0 ? 0 : scratch.leEnds[index - 1]
                out.append(contentsOf: scratch.leBytes[start..<scratch.leEnds[index]])
            } else {
                out.append(contentsOf: "+Inf".utf8)
            }
            out.append(contentsOf: "\"} ".utf8)
            FloatFormatter.appendInteger(count, to: &out)
            if isOpenMetrics, index < exemplars.count, let exemplar = exemplars[index] {
                writeExemplar(exemplar, into: &out)
            }
            out.append(newline)
        }
        if !isOpenMetrics || Self.openMetricsAllowsSum(sum, bounds: descriptor.buckets) {
            writeSample(descriptor.name, "_sum", descriptor, key, into: &out)
            FloatFormatter.appendValue(sum, to: &out)
            out.append(newline)
            writeSample(descriptor.name, "_count", descriptor, key, into: &out)
            FloatFormatter.appendInteger(cumulative.last ?? 0, to: &out)
            out.append(newline)
        }
        if isOpenMetrics && exposeCreated {
            writeSample(descriptor.name, "_created", descriptor, key, into: &out)
            FloatFormatter.appendValue(created, to: &out)
            out.append(newline)
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
