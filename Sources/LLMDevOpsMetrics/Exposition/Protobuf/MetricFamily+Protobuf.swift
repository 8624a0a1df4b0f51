import Synchronization

/// The protobuf render of a registered family, beside the text one in ``MetricFamily``.
extension MetricFamily {
    /// Writes the family as one length-delimited `MetricFamily` message straight into `out`,
    /// reading values from the series under the table lock (nothing when it has no series).
    /// Allocates nothing once `scratch` and `out` have grown.
    nonisolated func encode(
        with encoder: ProtobufEncoder,
        into out: inout [UInt8],
        scratch: inout ProtobufScratch
    ) {
        let descriptor = self.descriptor
        let start = out.count
        let mark = encoder.beginFamily(descriptor, into: &out)
        let written = shared.withLock { shared in
            SeriesDispatch.encodeSeries(
                of: descriptor,
                in: &shared.table,
                with: encoder,
                scratch: &scratch,
                into: &out
            )
        }
        encoder.endFamily(at: mark, from: start, seriesCount: written, into: &out)
    }
}
