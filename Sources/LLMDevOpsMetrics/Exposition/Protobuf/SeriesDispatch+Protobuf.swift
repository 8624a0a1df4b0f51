/// The protobuf counterpart of ``SeriesDispatch/encodeSeries(of:in:with:scratch:into:)``.
extension SeriesDispatch {
    /// Writes every series of `table`, in key order, as `Metric` messages of the family last
    /// begun with ``ProtobufEncoder/beginFamily(_:into:)``; returns how many it wrote.
    static func encodeSeries(
        of descriptor: MetricDescriptor,
        in table: inout SeriesTable,
        with encoder: ProtobufEncoder,
        scratch: inout ProtobufScratch,
        into out: inout [UInt8]
    ) -> Int {
        switch descriptor.type {
        case .counter: encode(CounterMetric.self, descriptor, &table, encoder, &scratch, &out)
        case .gauge: encode(GaugeMetric.self, descriptor, &table, encoder, &scratch, &out)
        case .histogram: encodeHistograms(descriptor, &table, encoder, &scratch, &out)
        case .info: encode(InfoMetric.self, descriptor, &table, encoder, &scratch, &out)
        }
    }

    private static func encode<Series: FamilySeries>(
        _: Series.Type,
        _ descriptor: MetricDescriptor,
        _ table: inout SeriesTable,
        _ encoder: ProtobufEncoder,
        _ scratch: inout ProtobufScratch,
        _ out: inout [UInt8]
    ) -> Int {
        scratch.native.copy(nil)
        let order = table.order()
        for position in order {
            let index = Int(position)
            scratch.counts.values.removeAll(keepingCapacity: true)
            let value = unsafeDowncast(table.series[index], to: Series.self).snapshot(into: &scratch.counts)
            encoder.encodeSeries(
                descriptor,
                key: table.keys[index],
                value: value,
                bucketCounts: scratch.counts,
                scratch: &scratch,
                into: &out
            )
        }
        return order.count
    }

    /// Histograms take their native buckets along, from the same instant as the classic ones.
    private static func encodeHistograms(
        _ descriptor: MetricDescriptor,
        _ table: inout SeriesTable,
        _ encoder: ProtobufEncoder,
        _ scratch: inout ProtobufScratch,
        _ out: inout [UInt8]
    ) -> Int {
        let order = table.order()
        for position in order {
            let index = Int(position)
            scratch.counts.values.removeAll(keepingCapacity: true)
            let histogram = unsafeDowncast(table.series[index], to: HistogramMetric.self)
            let value = histogram.snapshot(into: &scratch.counts, native: &scratch.native)
            encoder.encodeSeries(
                descriptor,
                key: table.keys[index],
                value: value,
                bucketCounts: scratch.counts,
                scratch: &scratch,
                into: &out
            )
        }
        return order.count
    }
}
