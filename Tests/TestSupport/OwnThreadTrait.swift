public import Testing

/// Runs each test case of the test or suite it is applied to on a thread of its own instead of
/// Swift concurrency's cooperative threads (see `DedicatedThreadExecutor`).
///
/// For tests that compute for long stretches without suspending. Actor-isolated code they call
/// still runs on the actors' executors; only the test's own nonisolated code (the sync body, the
/// loops) moves. Not for tests whose point is parallelism: their child tasks would share the
/// one thread.
public struct OwnThreadTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    /// Whether the caller runs on a thread this trait started.
    public static var isCurrentThread: Bool { DedicatedThreadExecutor.isCurrentThread }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @concurrent @Sendable () async throws -> Void
    ) async throws {
        let executor = DedicatedThreadExecutor()
        defer { executor.shutdown() }
        try await withTaskExecutorPreference(executor) {
            try await function()
        }
    }
}

extension Trait where Self == OwnThreadTrait {
    /// Each test case runs on a thread of its own, leaving the cooperative threads to tests that
    /// wait on actors.
    public static var ownThread: Self { OwnThreadTrait() }
}
