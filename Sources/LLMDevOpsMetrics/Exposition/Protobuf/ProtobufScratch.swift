/// Buffers a ``ProtobufEncoder`` reuses from series to series (and the registry from render to
/// render), so that rendering a registered family allocates nothing once they have grown.
struct ProtobufScratch: Sendable {
    /// The current series' cumulative classic bucket counts.
    var counts = BucketCounts()
    /// The current series' native buckets.
    var native = NativeBucketsSnapshot()
    /// The spans of the current series' native buckets: the negative ones first
    /// (``negativeSpanCount``), then the positive ones.
    private(set) var spanOffsets: [Int32] = []
    private(set) var spanLengths: [UInt32] = []
    private(set) var negativeSpanCount = 0
    /// Their deltas, negative first (``negativeDeltaCount``).
    private(set) var deltas: [Int64] = []
    private(set) var negativeDeltaCount = 0

    init() {}

    /// Computes the spans and deltas of ``native`` (negative, then positive). Runs of up to two
    /// empty buckets stay inside a span (as zero deltas); longer gaps start a new span, as
    /// client_golang writes them.
    mutating func prepareNativeSpans() {
        spanOffsets.removeAll(keepingCapacity: true)
        spanLengths.removeAll(keepingCapacity: true)
        deltas.removeAll(keepingCapacity: true)
        appendSpans(native.negative)
        negativeSpanCount = spanOffsets.count
        negativeDeltaCount = deltas.count
        appendSpans(native.positive)
    }

    /// The most bytes the native part of a histogram takes once ``prepareNativeSpans()`` ran:
    /// schema, zero threshold and count, every span (or the no-op span) and delta.
    var nativeBound: Int {
        3 * ProtobufCursor.varintFieldBound
            + (spanOffsets.count + 1) * (ProtobufCursor.messageBound + 2 * ProtobufCursor.varintFieldBound)
            + deltas.count * ProtobufCursor.varintFieldBound
    }

    private mutating func appendSpans(_ window: NativeBuckets.Window) {
        var previousKey: Int32?
        var previousCount: Int64 = 0
        for (index, count) in window.counts.enumerated() where count != 0 {
            let key = window.offset + Int32(index)
            if let last = previousKey {
                let gap = key - last - 1
                if gap > 2 {
                    spanOffsets.append(gap)
                    spanLengths.append(0)
                } else {
                    for _ in 0..<gap {
                        spanLengths[spanLengths.count - 1] += 1
                        deltas.append(-previousCount)
                        previousCount = 0
                    }
                }
            } else {
                spanOffsets.append(key)
                spanLengths.append(0)
            }
            let current = Int64(truncatingIfNeeded: count)
            spanLengths[spanLengths.count - 1] += 1
            deltas.append(current &- previousCount)
            previousCount = current
            previousKey = key
        }
    }
}
