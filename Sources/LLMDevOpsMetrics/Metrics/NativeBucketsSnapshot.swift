/// A copy of one series' native buckets taken for a render, reusing its storage from series to
/// series (see ``ProtobufScratch``), so that copying allocates nothing once it has grown.
struct NativeBucketsSnapshot: Sendable {
    /// Whether the series has native buckets at all; the rest is meaningful only then.
    var isPresent = false
    var schema = 0
    var zeroThreshold = 0.0
    var zeroCount: UInt64 = 0
    var positive = NativeBuckets.Window()
    var negative = NativeBuckets.Window()

    init() {}

    /// Copies `buckets` (nil: the series has none).
    mutating func copy(_ buckets: NativeBuckets?) {
        guard let buckets else {
            isPresent = false
            return
        }
        isPresent = true
        schema = buckets.schema
        zeroThreshold = buckets.zeroThreshold
        zeroCount = buckets.zeroCount
        Self.copy(buckets.positive, into: &positive)
        Self.copy(buckets.negative, into: &negative)
    }

    private static func copy(_ window: NativeBuckets.Window, into target: inout NativeBuckets.Window) {
        target.offset = window.offset
        target.counts.removeAll(keepingCapacity: true)
        target.counts.append(contentsOf: window.counts)
    }

    /// The number of observations in the buckets (zero bucket included).
    var observationCount: UInt64 {
        positive.counts.reduce(zeroCount, &+) &+ negative.counts.reduce(0, &+)
    }
}
