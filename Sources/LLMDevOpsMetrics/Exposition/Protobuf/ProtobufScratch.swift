/// Buffers a ``ProtobufEncoder`` reuses from series to series (and the registry from render to
/// render), so that rendering a registered family allocates nothing once they have grown.
struct ProtobufScratch: Sendable {
    /// The current series' cumulative classic bucket counts.
    var counts = BucketCounts()
    /// The current series' native buckets.
    var native = NativeBucketsSnapshot()
    /// The spans and deltas of one sign of the current series' native buckets.
    var spanOffsets: [Int32] = []
    var spanLengths: [UInt32] = []
    var deltas: [Int64] = []

    init() {}
}
