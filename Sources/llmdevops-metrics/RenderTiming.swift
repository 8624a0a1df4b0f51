#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LLMDevOpsMetrics

/// A repeatable measurement of uncached render time, for before/after comparisons on one
/// machine: with `LLMDEVOPS_RENDER_TIMING=N` in the environment, `--render-once` renders the
/// registry N times more (`registry.render`, which bypasses the cache) after printing its
/// exposition, and writes one line with the median, p90, minimum and maximum in microseconds
/// and the body size to stderr. Unset, nothing is measured.
///
/// ```
/// LLMDEVOPS_RENDER_TIMING=2000 llmdevops-metrics --demo-events 20000 --render-once >/dev/null
/// render_timing format=text renders=2000 median_us=412.3 p90_us=455.0 min_us=398.1 max_us=913.7 bytes=81234
/// ```
enum RenderTiming {
    static let variable = "LLMDEVOPS_RENDER_TIMING"

    /// The number of renders asked for, or nil when the variable is unset or not a positive integer.
    static func requestedRenders(_ environment: [String: String]) -> Int? {
        guard let text = environment[variable], let count = Int(text), count > 0 else { return nil }
        return min(count, 1_000_000)
    }

    /// Renders `renders` times in text 0.0.4 and reports the distribution on stderr.
    static func measure(_ registry: RegistryActor, renders: Int) async {
        let clock = ContinuousClock()
        var microseconds: [Double] = []
        microseconds.reserveCapacity(renders)
        var bytes = 0
        for _ in 0..<renders {
            let start = clock.now
            let body = await registry.render(.prometheusText)
            let elapsed = start.duration(to: clock.now)
            bytes = body.count
            let (seconds, attoseconds) = elapsed.components
            microseconds.append(Double(seconds) * 1e6 + Double(attoseconds) / 1e12)
        }
        microseconds.sort()
        func percentile(_ fraction: Double) -> Double {
            microseconds[min(microseconds.count - 1, Int((Double(microseconds.count) * fraction).rounded(.up)) - 1)]
        }
        func format(_ value: Double) -> String { String(Double((value * 10).rounded()) / 10) }
        let line =
            "render_timing format=text renders=\(renders) median_us=\(format(percentile(0.5)))"
            + " p90_us=\(format(percentile(0.9))) min_us=\(format(microseconds[0]))"
            + " max_us=\(format(microseconds[microseconds.count - 1])) bytes=\(bytes)\n"
        let utf8 = Array(line.utf8)
        _ = utf8.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
