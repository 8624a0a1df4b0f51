import Foundation
import LLMDevOpsTestSupport
import Testing

@testable import LLMDevOpsMetrics

/// Native buckets: the schema a factor selects, bucket keys against the definition (computed
/// with libm's `pow`, not our square roots), the nesting that schema reduction relies on, the
/// bucket limit, and snapshots that agree with the classic buckets under concurrency.
@Suite struct NativeHistogramTests {
    private static func layout(schema: Int, maxBuckets: Int = 160, zeroThreshold: Double = 0x1p-128)
        -> NativeBucketLayout?
    {
        NativeBucketLayout(
            NativeHistogramOptions(
                bucketFactor: NativeBucketLayout.growthFactor(schema: schema),
                maxBucketCount: maxBuckets,
                zeroThreshold: zeroThreshold
            )
        )
    }

    @Test(
        arguments: [
            (1.1, 3), (1.0905077326652577, 3), (1.09, 4), (2, 0), (1.5, 1), (1.4142135623730951, 1), (4, -1), (3.99, 0),
            (16, -2), (256, -3), (65536, -4), (1.0027112750502025, 8), (1.003, 8), (1.01, 7), (1.011, 6),
        ] as [(Double, Int)]
    )
    func theFactorSelectsTheCoarsestSchemaWithinIt(_ factor: Double, _ schema: Int) throws {
        let options = NativeHistogramOptions(bucketFactor: factor)
        #expect(options.schema == schema)
        try options.validate()
        // The chosen factor does not exceed the requested one; the next coarser one would.
        #expect(NativeBucketLayout.growthFactor(schema: schema) <= factor)
        if schema > -4 { #expect(NativeBucketLayout.growthFactor(schema: schema - 1) > factor) }
    }

    @Test(arguments: [
        NativeHistogramOptions(bucketFactor: 1.002),
        NativeHistogramOptions(bucketFactor: 1),
        NativeHistogramOptions(bucketFactor: 65537),
        NativeHistogramOptions(bucketFactor: .nan),
        NativeHistogramOptions(bucketFactor: .infinity),
        NativeHistogramOptions(maxBucketCount: 0),
        NativeHistogramOptions(maxBucketCount: 16_385),
        NativeHistogramOptions(zeroThreshold: -1),
        NativeHistogramOptions(zeroThreshold: .infinity),
        NativeHistogramOptions(zeroThreshold: .nan),
    ])
    func optionsOutsideTheirRangesAreRejected(_ options: NativeHistogramOptions) async throws {
        #expect(throws: MetricsError.self) { try options.validate() }
        // The registry refuses such a histogram family, and nothing is left registered.
        let registry = RegistryActor()
        await #expect {
            _ = try await registry.makeHistogramFamily(
                name: "bad_seconds",
                options: FamilyOptions(nativeHistogram: options)
            )
        } throws: { error in
            (error as? MetricsError)?.code == .invalidNativeHistogram
        }
        #expect(try await registry.makeGaugeFamily(name: "bad_seconds").descriptor.name == "bad_seconds")
        // Other types ignore the option.
        _ = try? await registry.makeCounterFamily(name: "ok_total", options: FamilyOptions(nativeHistogram: options))
        #expect(await registry.render(.prometheusText).count > 0)
    }

    /// Bucket k of schema s holds (2^((k-1)/2^s), 2^(k/2^s)]: checked with Foundation's `pow`
    /// for log-uniform values over 600 orders of magnitude at every schema.
    @Test(arguments: Array(-4...8))
    func keysFollowTheDefinition(schema: Int) throws {
        let layout = try #require(Self.layout(schema: schema, zeroThreshold: 0))
        var random = SplitMix64(seed: UInt64(schema + 100))
        let perPowerOfTwo = pow(2, Double(schema))
        for _ in 0..<5_000 {
            let exponent = (Double(random.next() % 1_000_000) / 1_000_000 - 0.5) * 1_990  // ±995 powers of two
            let value = pow(2, exponent)
            let key = Double(layout.key(ofMagnitude: value))
            let lower = pow(2, (key - 1) / perPowerOfTwo)
            let upper = pow(2, key / perPowerOfTwo)
            #expect(
                lower < value && value <= upper,
                "schema \(schema): \(value) got key \(key), bucket (\(lower), \(upper)]"
            )
        }
        // Powers of two are upper bounds (of bucket e·2^s, or ceil(e/2^-s) when coarser).
        for exponent in [-1074, -1022, -40, -1, 0, 1, 7, 40, 1023] {
            let value = Double(sign: .plus, exponent: exponent, significand: 1)
            let expected =
                schema >= 0 ? exponent << schema : Int((Double(exponent) / pow(2, Double(-schema))).rounded(.up))
            #expect(Int(layout.key(ofMagnitude: value)) == expected, "schema \(schema), 2^\(exponent)")
        }
        #expect(layout.key(ofMagnitude: .infinity) == layout.key(ofMagnitude: .greatestFiniteMagnitude) + 1)
        #expect(layout.key(ofMagnitude: .leastNonzeroMagnitude) < layout.key(ofMagnitude: .leastNormalMagnitude))
    }

    /// Schema reduction merges bucket k into ceil(k/2): the key one schema coarser is always
    /// the reduced key, so a series that halved its resolution counts exactly as one that
    /// started coarser.
    @Test(arguments: Array(-3...8))
    func bucketsNestFromOneSchemaToTheNext(schema: Int) throws {
        let fine = try #require(Self.layout(schema: schema))
        var random = SplitMix64(seed: UInt64(schema + 200))
        for _ in 0..<5_000 {
            var value = Double(bitPattern: random.next() & 0x7FFF_FFFF_FFFF_FFFF)
            if !value.isFinite || value == 0 { value = 1 }
            for reduction in 1...(schema + 4) {
                let coarse = try #require(Self.layout(schema: schema - reduction))
                #expect(
                    NativeBucketLayout.reduce(fine.key(ofMagnitude: value), by: reduction)
                        == coarse.key(ofMagnitude: value),
                    "\(value) from schema \(schema) by \(reduction)"
                )
            }
        }
    }

    @Test func theWindowLimitHalvesTheResolutionAndKeepsEveryObservation() throws {
        let layout = try #require(Self.layout(schema: 8, maxBuckets: 20))
        var buckets: NativeBuckets? = NativeBuckets(layout: layout)
        var random = SplitMix64(seed: 9)
        var observed: UInt64 = 0
        var schemas: [Int] = []
        for round in 0..<2_000 {
            let value = pow(10, Double(random.next() % 1200) / 100 - 6) * (round % 7 == 0 ? -1 : 1)
            NativeKey(value, layout).count(in: &buckets)
            observed += 1
            let current = try #require(buckets)
            #expect(current.positive.counts.count + current.negative.counts.count <= 20)
            if schemas.last != current.schema { schemas.append(current.schema) }
        }
        let final = try #require(buckets)
        var snapshot = NativeBucketsSnapshot()
        snapshot.copy(final)
        #expect(snapshot.observationCount == observed)
        // The schema only ever goes down, one or more steps at a time, from 8.
        #expect(schemas.first == 8)
        #expect(schemas == schemas.sorted(by: >))
        #expect(final.schema < 8 && final.schema >= -4)
        // Window ends are used buckets.
        for window in [final.positive, final.negative] where !window.counts.isEmpty {
            #expect(window.counts.first != 0 && window.counts.last != 0)
        }
    }

    @Test func atSchemaMinusFourTheLimitGivesWay() throws {
        let layout = try #require(Self.layout(schema: -4, maxBuckets: 1, zeroThreshold: 0))
        var buckets: NativeBuckets? = NativeBuckets(layout: layout)
        for value in [1e-300, 1.0, 1e300, -1.0, .infinity] { NativeKey(value, layout).count(in: &buckets) }
        let counted = try #require(buckets)
        #expect(counted.schema == -4)
        #expect(counted.positive.counts.reduce(0, +) == 4)
        #expect(counted.negative.counts.reduce(0, +) == 1)
    }

    /// Observers race snapshots: every snapshot's classic count (+Inf bucket), sum of native
    /// buckets and number of observations agree, as they come from one lock.
    @Test func snapshotsAreConsistentUnderConcurrentObservation() async throws {
        let registry = RegistryActor()
        let family = try await registry.makeHistogramFamily(
            name: "race_seconds",
            buckets: [0.01, 0.1, 1],
            options: FamilyOptions(nativeHistogram: NativeHistogramOptions(maxBucketCount: 12))
        )
        let histogram = try await family.labels([:])
        let observers = 4
        let perObserver = 20_000
        await withTaskGroup(of: Void.self) { group in
            for observer in 0..<observers {
                group.addTask {
                    var random = SplitMix64(seed: UInt64(observer))
                    for _ in 0..<perObserver {
                        histogram.observe(Double(random.next() % 100_000) / 1000 - 10)
                    }
                }
            }
            group.addTask {
                for _ in 0..<300 {
                    var counts = BucketCounts()
                    var native = NativeBucketsSnapshot()
                    guard
                        case .histogram(let range, _, _, _) = histogram.snapshot(into: &counts, native: &native).storage
                    else {
                        Issue.record("not a histogram")
                        return
                    }
                    #expect(counts.values[range].last == native.observationCount)
                    await Task.yield()
                }
            }
        }
        var counts = BucketCounts()
        var native = NativeBucketsSnapshot()
        _ = histogram.snapshot(into: &counts, native: &native)
        #expect(native.observationCount == UInt64(observers * perObserver))
        #expect(counts.values.last == UInt64(observers * perObserver))
        #expect(native.positive.counts.count + native.negative.counts.count <= 12)
    }

    @Test func nanIsRejectedByBothBucketSetsAndCounted() async throws {
        let registry = RegistryActor()
        let histogram = try await registry.makeHistogramFamily(
            name: "nan_seconds",
            options: FamilyOptions(nativeHistogram: NativeHistogramOptions())
        ).labels([:])
        histogram.observe(.nan)
        histogram.observe(1)
        var counts = BucketCounts()
        var native = NativeBucketsSnapshot()
        _ = histogram.snapshot(into: &counts, native: &native)
        #expect(histogram.count == 1)
        #expect(native.observationCount == 1)
        let body = String(decoding: await registry.render(.prometheusText), as: UTF8.self)
        #expect(body.contains(#"llmdevops_registry_invalid_updates_total{family="nan_seconds",reason="nan_value"} 1"#))
    }
}
