extension Duration {
    /// The duration in (fractional) seconds: the unit of every `*_seconds` metric and field.
    /// Division by 1e18 rounds the attoseconds correctly (multiplying by `1e-18` does not).
    package var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Whole milliseconds, truncated toward zero, for log metadata.
    package var milliseconds: Int {
        Int(seconds * 1000)
    }

    /// Whole nanoseconds, clamped at zero: what a TTL or an interval on the monotonic clock is
    /// compared with.
    package var clampedNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }
}
