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

    /// W6: a registry shape of `series` series: 50 % counters (2 or 3 labels), 40 % gauges
    /// (2 labels), 10 % histograms (2 labels, 10 buckets), in families of 100 with HELP.
    public struct Family: Sendable {
        public enum Kind: Sendable { case counter, gauge, histogram }
        public let kind: Kind
        public let name: String
        public let labelNames: [String]
        public let labelSets: [[String]]
    }

    public static let renderBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    public static func registryShape(series: Int) -> [Family] {
        let families = series / 100
        return (0..<families).map { index in
            let kind: Family.Kind
            switch index % 10 {
            case 0...4: kind = .counter
            case 5...8: kind = .gauge
            default: kind = .histogram
            }
            let labelNames = kind == .counter && index % 2 == 0 ? ["route", "method", "code"] : ["route", "code"]
            let labelSets = (0..<100).map { n in
                labelNames.count == 3
                    ? ["/api/v1/items/\(n)", ["GET", "POST"][n % 2], "\(200 + n % 5)"]
                    : ["/api/v1/items/\(n)", "\(200 + n % 5)"]
            }
            let suffix = kind == .counter ? "_total" : (kind == .histogram ? "_seconds" : "")
            return Family(kind: kind, name: "bench_family_\(index)\(suffix)", labelNames: labelNames, labelSets: labelSets)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
