import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import Testing

/// `prometheus_metrics.formats` and `prometheus_metrics.native_histograms`: defaults, every
/// key, environment overrides, and validation messages that name the key and the range.
@Suite struct ExpositionConfigurationTests {
    @Test func defaultsOfferEveryFormatAndNativeHistogramsAtSchemaThree() throws {
        let configuration = try ServiceConfigurationLoader().parse(yaml: "prometheus_metrics: {}")
        #expect(configuration.formats.offered == [.prometheusText, .openMetrics, .protobuf])
        #expect(configuration.nativeHistograms.options == NativeHistogramOptions())
        #expect(configuration.nativeHistograms.options?.schema == 3)
    }

    @Test func everyKeyIsRead() throws {
        let yaml = """
            prometheus_metrics:
              formats: { protobuf: false, openmetrics: false }
              native_histograms: { enabled: true, bucket_factor: 2, max_buckets: 40, zero_threshold: 0.001 }
            """
        let configuration = try ServiceConfigurationLoader().parse(yaml: yaml)
        #expect(configuration.formats.offered == [.prometheusText])
        let options = try #require(configuration.nativeHistograms.options)
        #expect(options == NativeHistogramOptions(bucketFactor: 2, maxBucketCount: 40, zeroThreshold: 0.001))
        #expect(options.schema == 0)
        let disabled = try ServiceConfigurationLoader().parse(
            yaml: "prometheus_metrics: { native_histograms: { enabled: false } }"
        )
        #expect(disabled.nativeHistograms.options == nil)
    }

    @Test func environmentOverridesTheNewKeys() throws {
        let loader = ServiceConfigurationLoader(environment: [
            "PROMETHEUS_METRICS_FORMATS_PROTOBUF": "false",
            "PROMETHEUS_METRICS_NATIVE_HISTOGRAMS_BUCKET_FACTOR": "1.01",
            "PROMETHEUS_METRICS_NATIVE_HISTOGRAMS_MAX_BUCKETS": "300",
            "PROMETHEUS_METRICS_NATIVE_HISTOGRAMS_ZERO_THRESHOLD": "0",
        ])
        let configuration = try loader.parse(yaml: "prometheus_metrics: {}")
        #expect(!configuration.formats.protobuf)
        #expect(configuration.formats.offered == [.prometheusText, .openMetrics])
        #expect(configuration.nativeHistograms.options?.schema == 7)  // 2^(1/128) ≤ 1.01 < 2^(1/64)
        #expect(configuration.nativeHistograms.maxBuckets == 300)
        #expect(configuration.nativeHistograms.zeroThreshold == 0)
    }

    @Test(arguments: [
        ("formats: { protobuf: maybe }", "prometheus_metrics.formats.protobuf", "expected true or false"),
        ("formats: { json: true }", "prometheus_metrics.formats.json", "unknown key"),
        (
            "native_histograms: { bucket_factor: 1 }", "prometheus_metrics.native_histograms.bucket_factor",
            "must be between"
        ),
        (
            "native_histograms: { bucket_factor: 1.001 }", "prometheus_metrics.native_histograms.bucket_factor",
            "(schema 8)"
        ),
        (
            "native_histograms: { bucket_factor: 70000 }", "prometheus_metrics.native_histograms.bucket_factor",
            "(schema -4)"
        ),
        (
            "native_histograms: { bucket_factor: fast }", "prometheus_metrics.native_histograms.bucket_factor",
            "expected a number"
        ),
        (
            "native_histograms: { max_buckets: 0 }", "prometheus_metrics.native_histograms.max_buckets",
            "between 1 and 16384"
        ),
        (
            "native_histograms: { zero_threshold: -1 }", "prometheus_metrics.native_histograms.zero_threshold",
            "not be negative"
        ),
        (
            "native_histograms: { zero_threshold: .inf }", "prometheus_metrics.native_histograms.zero_threshold",
            "expected a number"
        ),
        ("native_histograms: { schema: 3 }", "prometheus_metrics.native_histograms.schema", "unknown key"),
    ])
    func invalidValuesNameTheKey(_ line: String, _ key: String, _ reason: String) {
        do {
            _ = try ServiceConfigurationLoader().parse(yaml: "prometheus_metrics:\n  \(line)\n")
            Issue.record("\(line) was accepted")
        } catch {
            #expect(error.key == key, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
        }
    }

    @Test func changingThemNeedsARestart() {
        var changed = ServiceConfiguration()
        changed.formats.protobuf = false
        changed.nativeHistograms.maxBuckets = 10
        #expect(
            MetricsHTTPHandler.keysNeedingRestart(from: ServiceConfiguration(), to: changed)
                == ["prometheus_metrics.formats", "prometheus_metrics.native_histograms"]
        )
    }
}
