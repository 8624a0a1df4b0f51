/// Where one observation goes among a series' native buckets: the zero bucket, or a positive or
/// negative bucket key at the family's initial schema. Computed before the series' lock is
/// taken, so the critical section only adds.
struct NativeKey {
    private enum Kind: UInt8 {
        case zero
        case positive
        case negative
    }

    private let kind: Kind
    private let key: Int32

    /// The bucket of `value` (not NaN) in `layout`.
    @inline(__always)
    init(_ value: Double, _ layout: NativeBucketLayout) {
        let magnitude = value.magnitude
        if magnitude <= layout.zeroThreshold {
            kind = .zero
            key = 0
        } else {
            kind = value < 0 ? .negative : .positive
            key = layout.key(ofMagnitude: magnitude)
        }
    }

    /// The bucket key when the observation is positive and above the zero threshold; nil for
    /// the zero bucket and negative values (what ``ClassicBucketIndex/index(of:key:)`` takes).
    @inline(__always)
    var positiveKey: Int32? { kind == .positive ? key : nil }

    /// Counts the observation in `buckets`.
    @inline(__always)
    func count(in buckets: inout NativeBuckets?) {
        switch kind {
        case .zero: buckets?.incrementZero()
        case .positive: buckets?.increment(key: key, negative: false)
        case .negative: buckets?.increment(key: key, negative: true)
        }
    }
}
