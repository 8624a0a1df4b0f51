/// The ticks that drive a sampler: one at once, then one per interval on the continuous clock,
/// until the task is cancelled. A tick that comes late (the sampler's task was held up) is not
/// made up for: the next one is an interval after it.
struct SamplingTicks: AsyncSequence, Sendable {
    typealias Element = Void
    typealias Failure = Never

    let interval: Duration

    struct AsyncIterator: AsyncIteratorProtocol {
        typealias Failure = Never

        let interval: Duration
        /// When the next tick is due; nil before the first, which is due at once.
        var due: ContinuousClock.Instant?

        mutating func next() async -> Void? {
            let clock = ContinuousClock()
            guard let deadline = due else {
                due = clock.now.advanced(by: interval)
                return Task.isCancelled ? nil : ()
            }
            do {
                try await Task.sleep(until: deadline, tolerance: interval / 10, clock: clock)
            } catch {
                return nil  // cancelled
            }
            let now = clock.now
            let scheduled = deadline.advanced(by: interval)
            due = scheduled > now ? scheduled : now.advanced(by: interval)
            return ()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(interval: interval, due: nil)
    }
}
