import Benchmark
import CompressNIO
import LLMDevOpsMetrics
import NIOCore
import Prometheus

/// W8: gzip (zlib level 6, window 15: what the service sends) of the 10,000-series text
/// exposition in the W6 shape, for each contender's own rendering. Times the compression only;
/// the custom metric is the compression ratio (plain bytes / gzip bytes) times 100.
let compressionRatio = BenchmarkMetric.custom("gzip ratio x100", polarity: .prefersLarger, useScalingFactor: false)

func compressionBenchmarks() {
    let series = 10_000
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, compressionRatio],
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 100
    )
    Benchmark("W8 gzip level 6, \(series) series text / ours", configuration: configuration) { benchmark in
        let registry = try await Contenders.ours(series: series)
        let plain = await registry.render(.prometheusText)
        gzipMeasured(benchmark, plain)
    }
    Benchmark("W8 gzip level 6, \(series) series text / swift-prometheus", configuration: configuration) { benchmark in
        let registry = Contenders.swiftPrometheus(series: series)
        var plain: [UInt8] = []
        registry.emit(into: &plain)
        gzipMeasured(benchmark, plain)
    }
}

private func gzipMeasured(_ benchmark: Benchmark, _ plain: [UInt8]) {
    let zlib = ZlibConfiguration(windowSize: 15, compressionLevel: 6)
    var compressedBytes = 0
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
        var input = ByteBuffer(bytes: plain)
        do {
            let compressed = try input.compress(with: .gzip, configuration: zlib)
            compressedBytes = compressed.readableBytes
            blackHole(compressed)
        } catch {
            benchmark.error("gzip failed: \(error)")
            return
        }
    }
    benchmark.stopMeasurement()
    benchmark.measurement(compressionRatio, plain.count * 100 / max(1, compressedBytes))
}
