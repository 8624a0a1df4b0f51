/// Native (sparse, exponential) buckets for a histogram family, kept beside its classic buckets
/// and exposed in the protobuf format, as client_golang's `NativeHistogramBucketFactor` options
/// do. Text formats keep showing the classic buckets only.
///
/// ```swift
/// let latency = try await registry.makeHistogramFamily(
///     name: "app_request_duration_seconds", unit: "seconds", labelNames: ["route"],
///     options: FamilyOptions(nativeHistogram: NativeHistogramOptions(bucketFactor: 1.1)))
/// ```
///
/// Bucket boundaries are powers of `2^(2^-schema)` around 1; the schema is the coarsest one
/// (-4…8) whose growth factor is at most ``bucketFactor``: 1.1 gives schema 3, eight buckets per
/// power of two, each at most 9.05 % wider than the one below. Observations with an absolute
/// value up to ``zeroThreshold`` go to the zero bucket; negative ones to negative buckets.
///
/// When the buckets of a series would span more than ``maxBucketCount`` buckets (from the
/// lowest to the highest used one, gaps included, both signs together), the series halves its
/// resolution (schema − 1, merging pairs of buckets) until they fit, as client_golang's
/// `NativeHistogramMaxBucketNumber` does; at schema −4 it stops reducing. A series never resets
/// itself: counts stay monotonic and the reduced resolution lasts until the series is removed
/// (see <doc:ProtobufAndNativeHistograms>).
public struct NativeHistogramOptions: Sendable, Hashable {
    /// The largest growth factor from one bucket boundary to the next; the schema is the
    /// coarsest one whose factor `2^(2^-schema)` does not exceed it. Accepted:
    /// ``bucketFactorRange``, 2^(2^-8) ≈ 1.0027 (schema 8) to 2^(2^4) = 65536 (schema −4).
    public var bucketFactor: Double
    /// The most buckets one series may span before it reduces its resolution. Accepted:
    /// ``maxBucketCountRange``.
    public var maxBucketCount: Int
    /// Observations with an absolute value up to this go to the zero bucket. Finite and not
    /// negative; the default is 2^-128, a bucket boundary of every schema.
    public var zeroThreshold: Double

    /// 2^-128 (client_golang's `DefNativeHistogramZeroThreshold`).
    public static let defaultZeroThreshold: Double = 0x1p-128
    /// The bucket factors a schema from −4 to 8 can honour.
    public static let bucketFactorRange: ClosedRange<Double> =
        NativeBucketLayout.growthFactor(schema: 8)...NativeBucketLayout.growthFactor(schema: -4)
    /// The accepted ``maxBucketCount`` values. (Unlimited is not offered: a series observing
    /// values from outside could otherwise grow without bound.)
    public static let maxBucketCountRange: ClosedRange<Int> = 1...16_384

    /// Creates options; the defaults are client_golang's recommended factor 1.1 (schema 3) with
    /// at most 160 buckets (OpenTelemetry's default) and the 2^-128 zero threshold.
    public init(bucketFactor: Double = 1.1, maxBucketCount: Int = 160, zeroThreshold: Double = defaultZeroThreshold) {
        self.bucketFactor = bucketFactor
        self.maxBucketCount = maxBucketCount
        self.zeroThreshold = zeroThreshold
    }

    /// The schema ``bucketFactor`` selects, or nil when it is outside ``bucketFactorRange``.
    public var schema: Int? {
        guard Self.bucketFactorRange.contains(bucketFactor) else { return nil }
        return (-4...8).first { NativeBucketLayout.growthFactor(schema: $0) <= bucketFactor }
    }

    /// Checks the three values against their accepted ranges.
    ///
    /// - Throws: ``MetricsError/Code/invalidNativeHistogram`` naming the value and the range.
    public func validate(metric: String? = nil) throws(MetricsError) {
        guard schema != nil else {
            throw MetricsError(
                .invalidNativeHistogram,
                metric: metric,
                "bucket factor \(bucketFactor) is outside "
                    + "\(Self.bucketFactorRange.lowerBound)…\(Self.bucketFactorRange.upperBound) (schemas 8…-4)"
            )
        }
        guard Self.maxBucketCountRange.contains(maxBucketCount) else {
            throw MetricsError(
                .invalidNativeHistogram,
                metric: metric,
                "max bucket count \(maxBucketCount) is outside "
                    + "\(Self.maxBucketCountRange.lowerBound)…\(Self.maxBucketCountRange.upperBound)"
            )
        }
        guard zeroThreshold.isFinite, zeroThreshold >= 0 else {
            throw MetricsError(
                .invalidNativeHistogram,
                metric: metric,
                "zero threshold \(zeroThreshold) must be finite and not negative"
            )
        }
    }
}
