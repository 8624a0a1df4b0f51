public import LLMDevOpsMetrics
import Synchronization

/// One token bucket per client: each request takes a token, buckets refill at
/// `requestsPerSecond` up to `burst`. A client without a token gets a `Retry-After` hint.
///
/// ```swift
/// let limiter = TokenBucketRateLimiter(requestsPerSecond: 10, burst: 20)
/// if case .limited(let retryAfter) = limiter.acquire(client: "prometheus") { ... 429 ... }
/// ```
///
/// Memory is bounded: at most `maxClients` buckets are kept; when full, buckets that have
/// refilled completely (clients that would be allowed anyway) are dropped first.
public final class TokenBucketRateLimiter: Sendable {
    /// The outcome of ``acquire(client:)``.
    public enum Decision: Sendable, Hashable {
        /// The request may proceed.
        case allowed
        /// Over the limit; retry after this many whole seconds (at least 1).
        case limited(retryAfterSeconds: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updatedAt: UInt64
    }

    /// Refill rate per client.
    public let requestsPerSecond: Double
    /// Bucket size per client.
    public let burst: Int
    private let maxClients: Int
    private let clock: MetricsClock
    private let buckets = Lock<[String: Bucket]>([:])

    /// Creates a limiter; `clock` is injectable for tests.
    public init(requestsPerSecond: Double, burst: Int, maxClients: Int = 10_000, clock: MetricsClock = .system) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = max(1, burst)
        self.maxClients = max(1, maxClients)
        self.clock = clock
    }

    /// Takes a token from `client`'s bucket if it has one.
    public func acquire(client: String) -> Decision {
        let now = clock.monotonicNanoseconds()
        return buckets.withLock { buckets in
            var bucket = buckets[client].map { refilled($0, now: now) } ?? Bucket(tokens: Double(burst), updatedAt: now)
            let decision: Decision
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = .allowed
            } else {
                let seconds = (1 - bucket.tokens) / requestsPerSecond
                decision = .limited(retryAfterSeconds: max(1, Int(seconds.rounded(.up))))
            }
            if buckets[client] == nil, buckets.count >= maxClients {
                evict(&buckets, now: now)
            }
            buckets[client] = bucket
            return decision
        }
    }

    /// The number of clients with a bucket.
    public var clientCount: Int { buckets.withLock { $0.count } }

    private func refilled(_ bucket: Bucket, now: UInt64) -> Bucket {
        let elapsed = Double(now &- bucket.updatedAt) / 1_000_000_000
        return Bucket(tokens: min(Double(burst), bucket.tokens + elapsed * requestsPerSecond), updatedAt: now)
    }

    private func evict(_ buckets: inout [String: Bucket], now: UInt64) {
        let full = buckets.filter { refilled($0.value, now: now).tokens >= Double(burst) }.map(\.key)
        for key in full { buckets[key] = nil }
        if buckets.count >= maxClients {
            // Everyone is active: drop the least recently seen client.
            if let oldest = buckets.min(by: { $0.value.updatedAt < $1.value.updatedAt })?.key {
                buckets[oldest] = nil
            }
        }
    }
}
