import LLMDevOpsMetrics

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The distributions the synthetic workload draws from.
extension SplitMix64 {
    /// Uniform in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// Log-normal with the given median and 99th percentile.
    mutating func logNormal(median: Double, p99: Double) -> Double {
        let sigma = log(p99 / median) / 2.326_347_874
        return median * exp(sigma * normal())
    }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u1 = max(unit(), .leastNonzeroMagnitude)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// Geometric number of trials (at least 1) with the given mean.
    mutating func geometric(mean: Double) -> Int {
        let p = 1 / mean
        return 1 + Int(log(max(unit(), .leastNonzeroMagnitude)) / log(1 - p))
    }
}
