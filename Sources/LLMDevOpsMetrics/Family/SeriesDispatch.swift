/// Reaches the machinery (``FamilySeries``) of series that a ``MetricFamily`` stores as
/// `AnyObject`, by the metric type of the family's descriptor, without a dynamic cast.
///
/// The registry creates every family with the series class of its descriptor's type
/// (``CounterFamily`` for counters, ``GaugeFamily`` for gauges, and so on), so the downcasts
/// here are exact. Not generic over the family, so the loops are specialised per series class.
enum SeriesDispatch {
    /// A new series of `type`'s class.
    static func make(_ type: MetricType, context: SeriesContext) -> any AnyObject & Sendable {
        switch type {
        case .counter: CounterMetric(context: context)
        case .gauge: GaugeMetric(context: context)
        case .histogram: HistogramMetric(context: context)
        case .info: InfoMetric(context: context)
        }
    }

    /// ``FamilySeries/markDetached()`` of `series`, of `type`'s class.
    static func markDetached(_ series: any AnyObject & Sendable, _ type: MetricType) {
        switch type {
        case .counter: unsafeDowncast(series, to: CounterMetric.self).markDetached()
        case .gauge: unsafeDowncast(series, to: GaugeMetric.self).markDetached()
        case .histogram: unsafeDowncast(series, to: HistogramMetric.self).markDetached()
        case .info: unsafeDowncast(series, to: InfoMetric.self).markDetached()
        }
    }

    /// ``FamilySeries/consumeActivity()`` of `series`, of `type`'s class.
    static func consumeActivity(_ series: any AnyObject & Sendable, _ type: MetricType) -> Bool {
        switch type {
        case .counter: unsafeDowncast(series, to: CounterMetric.self).consumeActivity()
        case .gauge: unsafeDowncast(series, to: GaugeMetric.self).consumeActivity()
        case .histogram: unsafeDowncast(series, to: HistogramMetric.self).consumeActivity()
        case .info: unsafeDowncast(series, to: InfoMetric.self).consumeActivity()
        }
    }

    /// Writes every series of `table`, in key order, as the sample lines of the family last
    /// begun with ``ExpositionEncoder/beginFamily(_:scratch:into:)``.
    static func encodeSeries(
        of descriptor: MetricDescriptor,
        in table: inout SeriesTable,
        with encoder: ExpositionEncoder,
        scratch: inout ExpositionScratch,
        into out: inout [UInt8]
    ) {
        switch descriptor.type {
        case .counter: encode(CounterMetric.self, descriptor, &table, encoder, &scratch, &out)
        case .gauge: encode(GaugeMetric.self, descriptor, &table, encoder, &scratch, &out)
        case .histogram: encode(HistogramMetric.self, descriptor, &table, encoder, &scratch, &out)
        case .info: encode(InfoMetric.self, descriptor, &table, encoder, &scratch, &out)
        }
    }

    private static func encode<Series: FamilySeries>(
        _: Series.Type,
        _ descriptor: MetricDescriptor,
        _ table: inout SeriesTable,
        _ encoder: ExpositionEncoder,
        _ scratch: inout ExpositionScratch,
        _ out: inout [UInt8]
    ) {
        for position in table.order() {
            let index = Int(position)
            scratch.counts.values.removeAll(keepingCapacity: true)
            let value = unsafeDowncast(table.series[index], to: Series.self).snapshot(into: &scratch.counts)
            encoder.prepareLabels(descriptor, key: table.keys[index], scratch: &scratch)
            encoder.encodeSeries(
                descriptor,
                value: value,
                bucketCounts: scratch.counts,
                scratch: scratch,
                into: &out
            )
        }
    }
}
