import LLMDevOpsMetrics
import Testing

/// Every rejected registration produces its own typed error; nothing traps.
@Suite struct RegistrationErrorTests {
    let registry = RegistryActor(configuration: RegistryConfiguration(exposeSelfMetrics: false))

    private func expectError(
        _ code: MetricsError.Code,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ register: () async throws -> Void
    ) async {
        do {
            try await register()
            Issue.record("expected \(code), but the registration succeeded", sourceLocation: sourceLocation)
        } catch let error as MetricsError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a MetricsError, got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: ["", "1abc", "with-dash", "with space", "colon:name", "caf\u{E9}"])
    func rejectsInvalidMetricNames(name: String) async {
        await expectError(.invalidMetricName) { _ = try await registry.makeCounter(name: name) }
    }

    @Test(arguments: ["", "1st", "bad-label", "a.b", "\u{E9}"])
    func rejectsInvalidLabelNames(label: String) async {
        await expectError(.invalidLabelName) { _ = try await registry.makeGaugeFamily(name: "g", labelNames: [label]) }
    }

    @Test func rejectsLeOnHistograms() async throws {
        await expectError(.reservedLabelName) { _ = try await registry.makeHistogramFamily(name: "h", labelNames: ["le"]) }
        // `le` is an ordinary label name on other types.
        _ = try await registry.makeGaugeFamily(name: "g", labelNames: ["le"])
    }

    @Test func rejectsQuantile() async {
        await expectError(.reservedLabelName) { _ = try await registry.makeCounterFamily(name: "c", labelNames: ["quantile"]) }
    }

    @Test func rejectsDoubleUnderscorePrefix() async {
        await expectError(.reservedLabelName) { _ = try await registry.makeGaugeFamily(name: "g", labelNames: ["__name__"]) }
    }

    @Test func rejectsDuplicateLabelNames() async {
        await expectError(.duplicateLabelName) { _ = try await registry.makeGaugeFamily(name: "g", labelNames: ["a", "b", "a"]) }
    }

    @Test func rejectsUnitThatIsNotTheNameSuffix() async {
        await expectError(.invalidUnit) { _ = try await registry.makeGauge(name: "latency", unit: "seconds") }
        await expectError(.invalidUnit) { _ = try await registry.makeGauge(name: "latency_seconds", unit: "se-conds") }
    }

    @Test func rejectsNaNBuckets() async {
        await expectError(.invalidBuckets) { _ = try await registry.makeHistogram(name: "h", buckets: [1, .nan]) }
    }

    @Test func rejectsAnotherType() async throws {
        _ = try await registry.makeCounter(name: "jobs_total")
        await expectError(.typeMismatch) { _ = try await registry.makeGauge(name: "jobs") }
    }

    @Test func rejectsAnotherHelp() async throws {
        _ = try await registry.makeGauge(name: "g", help: "one")
        await expectError(.helpMismatch) { _ = try await registry.makeGauge(name: "g", help: "two") }
    }

    @Test func rejectsAnotherUnit() async throws {
        _ = try await registry.makeGauge(name: "size_bytes", unit: "bytes")
        await expectError(.unitMismatch) { _ = try await registry.makeGauge(name: "size_bytes") }
    }

    @Test func rejectsOtherLabelNames() async throws {
        _ = try await registry.makeCounterFamily(name: "c_total", labelNames: ["a"])
        await expectError(.labelNamesMismatch) { _ = try await registry.makeCounterFamily(name: "c_total", labelNames: ["b"]) }
        await expectError(.labelNamesMismatch) { _ = try await registry.makeCounter(name: "c_total") }
    }

    @Test func rejectsOtherBuckets() async throws {
        _ = try await registry.makeHistogram(name: "h", buckets: [1, 2])
        await expectError(.bucketsMismatch) { _ = try await registry.makeHistogram(name: "h", buckets: [1, 3]) }
    }

    @Test func rejectsGaugeNamedLikeAHistogramSample() async throws {
        _ = try await registry.makeHistogram(name: "foo")
        await expectError(.sampleNameClash) { _ = try await registry.makeGauge(name: "foo_count") }
        await expectError(.sampleNameClash) { _ = try await registry.makeGauge(name: "foo_bucket") }
        await expectError(.sampleNameClash) { _ = try await registry.makeCounter(name: "foo_sum") }
    }

    @Test func rejectsHistogramWhoseSamplesAnotherFamilyOwns() async throws {
        _ = try await registry.makeGauge(name: "bar_sum")
        await expectError(.sampleNameClash) { _ = try await registry.makeHistogram(name: "bar") }
    }

    @Test func rejectsGaugeNamedLikeACounterCreatedSample() async throws {
        _ = try await registry.makeCounter(name: "foo_total")
        await expectError(.sampleNameClash) { _ = try await registry.makeGauge(name: "foo_created") }
        await expectError(.sampleNameClash) { _ = try await registry.makeGauge(name: "foo_total") }
    }

    @Test func rejectsSelfMetricNames() async {
        await expectError(.sampleNameClash) { _ = try await registry.makeGauge(name: "llmdevops_registry_series") }
        await expectError(.sampleNameClash) {
            _ = try await registry.makeCounter(name: "llmdevops_registry_series_rejected_total")
        }
    }

    @Test func rejectsLabelSetsThatDoNotMatch() async throws {
        let family = try await registry.makeCounterFamily(name: "c_total", labelNames: ["a", "b"])
        await expectError(.labelSetMismatch) { _ = try await family.labels(["a": "1"]) }
        await expectError(.labelSetMismatch) { _ = try await family.labels(["a": "1", "c": "2"]) }
        await expectError(.labelSetMismatch) { _ = try await family.labels(values: ["1", "2", "3"]) }
        // A value that needs escaping takes another path to the key; it must check names too.
        await expectError(.labelSetMismatch) { _ = try await family.labels(["a": "quote\"", "c": "2"]) }
        await expectError(.labelSetMismatch) { _ = try await family.remove(["a": "x", "c": "2"]) }
    }

    @Test func rejectsBadBucketHelpers() async {
        await expectError(.invalidBuckets) { _ = try HistogramBuckets.linear(start: 0, width: 0, count: 3) }
        await expectError(.invalidBuckets) { _ = try HistogramBuckets.exponential(start: 1, factor: 1, count: 3) }
        await expectError(.invalidBuckets) { _ = try HistogramBuckets.exponential(start: 1, factor: 10, count: 400) }
    }

    @Test func sameDescriptorReturnsTheSameFamily() async throws {
        let first = try await registry.makeCounterFamily(name: "hits_total", help: "Hits.", labelNames: ["a"])
        let again = try await registry.makeCounterFamily(name: "hits", help: "Hits.", labelNames: ["a"])
        #expect(first === again)
        let series = try await first.labels(["a": "x"])
        #expect(series === (try await again.labels(["a": "x"])))
        let counter = try await registry.makeCounter(name: "plain_total")
        #expect(counter === (try await registry.makeCounter(name: "plain_total")))
    }

    @Test func bucketsAreSortedAndDeduplicated() async throws {
        let family = try await registry.makeHistogramFamily(name: "h", buckets: [5, 1, .infinity, 1, 2.5])
        #expect(family.descriptor.buckets == [1, 2.5, 5])
        #expect(try HistogramBuckets.linear(start: 1, width: 2, count: 3) == [1, 3, 5])
        #expect(try HistogramBuckets.exponential(start: 0.5, factor: 2, count: 4) == [0.5, 1, 2, 4])
    }

    @Test func labelOrderNeverCreatesASecondSeries() async throws {
        let family = try await registry.makeCounterFamily(name: "c_total", labelNames: ["method", "status", "route"])
        let a = try await family.labels(["method": "GET", "status": "200", "route": "/"])
        let b = try await family.labels(["route": "/", "status": "200", "method": "GET"])
        let c = try await family.labels(values: ["GET", "200", "/"])
        #expect(a === b && b === c)
        #expect(await family.seriesCount == 1)
    }
}
