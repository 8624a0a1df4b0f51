import LLMDevOpsMetrics

/// The one honest view into the concurrency runtime that Swift allows: how long a new task
/// waits before the global concurrent executor starts it. The runtime exposes no task counts or
/// queue depths, so none are invented.
enum TaskStartProbe {
    /// Seconds between adding a child task (which runs on the global concurrent executor) and
    /// its first instruction.
    static func measure() async -> Double {
        await withTaskGroup(of: UInt64.self) { group in
            let created = MetricsClock.system.monotonicNanoseconds()
            group.addTask { MetricsClock.system.monotonicNanoseconds() }
            let started = await group.next() ?? created
            return Double(started &- created) / 1e9
        }
    }
}
