#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Inputs shared by both contenders, generated from a fixed seed so every run and both
/// libraries see identical values in identical order.
public enum Workload {
    public static let seed: UInt64 = 0x5EED_2026

    public struct SplitMix64: RandomNumberGenerator {
        public var state: UInt64
        public init(state: UInt64) { self.state = state }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// W3: `route` 10 values times `code` 10 values.
    public static let routes = (0..<10).map { "/api/v1/resource_\($0)" }
    public static let codes = ["200", "201", "204", "301", "400", "401", "403", "404", "500", "503"]
    /// W3: 10,000 (route, code) index pairs in random order.
    public static let labelOrder: [(Int, Int)] = {
        var random = SplitMix64(state: seed)
        return (0..<10_000).map { _ in (Int(random.next() % 10), Int(random.next() % 10)) }
    }()

    /// W4: the 11 default buckets.
    public static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// W4: 10,000 log-uniform values in [0.001, 20).
    public static let observations: [Double] = {
        var random = SplitMix64(state: seed ^ 0x4)
        return (0..<10_000).map { _ in
            let unit = Double(random.next() >> 11) / Double(1 << 53)
            return 0.001 * pow(20_000, unit)
        }
    }()

    /// W6: a registry of `series` series with the value classes of a real one, in families of
    /// 100 with HELP on every family: 50 % counters in the thousands (half the families with three
    /// labels `route`, `code`, `instance`, half with `route`, `code`), 40 % fractional gauges
    /// (`route`, `instance`; values such as 24.75, 0.125, 0.37), 10 % latency histograms (`route`,
    /// `code`; ten exponential buckets with long `le` values, so 13 sample lines per series, and
    /// 1 to 40 millisecond-resolution observations, whose sums carry many digits such as
    /// 3.2030000000000003). Generated from ``seed``: both contenders get identical label sets,
    /// in the same (shuffled) creation order, and identical values.
    public struct Family: Sendable {
        public enum Kind: Sendable { case counter, gauge, histogram }
        public let kind: Kind
        public let name: String
        public let help: String
        public let labelNames: [String]
        public let series: [Series]
    }

    /// One series of a W6 family: its label values (in the family's label-name order) and what
    /// is recorded into it once.
    public struct Series: Sendable {
        public enum Values: Sendable {
            /// `increment(by:)` once by this amount.
            case counter(Int)
            /// `set(to:)` this value.
            case gauge(Double)
            /// `observe(_:)` / `record(_:)` each value, in order.
            case histogram([Double])
        }
        public let labelValues: [String]
        public let values: Values
    }

    /// Ten exponential buckets as client_golang's `ExponentialBuckets(0.0005, 2.5, 10)` computes
    /// them (repeated multiplication), so the bounds print long: 0.0005, 0.00125, 0.003125, ...
    public static let renderBuckets: [Double] = {
        var bounds: [Double] = []
        var bound = 0.0005
        for _ in 0..<10 {
            bounds.append(bound)
            bound *= 2.5
        }
        return bounds
    }()

    static let statusCodes = ["200", "201", "204", "301", "304", "400", "401", "403", "404", "429", "500", "502", "503"]

    public static func registryShape(series: Int) -> [Family] {
        var random = SplitMix64(state: seed ^ 0x6)
        let families = series / 100
        return (0..<families).map { index in
            let kind: Family.Kind
            let labelNames: [String]
            let name: String
            let help: String
            switch index % 10 {
            case 0...4:
                kind = .counter
                labelNames = index % 2 == 0 ? ["route", "code", "instance"] : ["route", "code"]
                name = "bench_requests_\(index)_total"
                help = "HTTP requests handled, by route, status code and serving instance."
            case 5...8:
                kind = .gauge
                labelNames = ["route", "instance"]
                name = "bench_in_flight_\(index)"
                help = "Requests in flight per route and instance, averaged over the last second."
            default:
                kind = .histogram
                labelNames = ["route", "code"]
                name = "bench_request_duration_\(index)_seconds"
                help = "Time from accepting a request to writing its last byte, by route and status code."
            }
            // Routes are unique within a family, so every label set is; creation order is shuffled.
            var routes = Array(0..<100)
            routes.shuffle(using: &random)
            let series = routes.map { route -> Series in
                var labelValues: [String] = []
                for label in labelNames {
                    switch label {
                    case "route": labelValues.append("/api/v1/resource/\(route)")
                    case "code": labelValues.append(statusCodes[Int(random.next() % UInt64(statusCodes.count))])
                    default: labelValues.append("10.1.\(random.next() % 256).\(random.next() % 256):8080")
                    }
                }
                let values: Series.Values
                switch kind {
                case .counter:
                    values = .counter(1_000 + Int(random.next() % 999_000))
                case .gauge:
                    // Eighths (24.75, 0.125, 999.875; some whole) and hundredths (0.37, 12.34).
                    let numerator = Double(1 + random.next() % 8_000)
                    values = .gauge(random.next() % 2 == 0 ? numerator / 8 : numerator / 100)
                case .histogram:
                    let count = 1 + Int(random.next() % 40)
                    values = .histogram((0..<count).map { _ in Double(1 + random.next() % 2_500) / 1_000 })
                }
                return Series(labelValues: labelValues, values: values)
            }
            return Family(kind: kind, name: name, help: help, labelNames: labelNames, series: series)
        }
    }

    /// The sample lines of the text 0.0.4 body of ``registryShape(series:)``: one per counter and
    /// gauge series, 13 per histogram series (11 buckets with `+Inf`, `_sum`, `_count`).
    public static func sampleLines(series: Int) -> Int {
        registryShape(series: series).reduce(0) { lines, family in
            lines + family.series.count * (family.kind == .histogram ? renderBuckets.count + 3 : 1)
        }
    }
}
