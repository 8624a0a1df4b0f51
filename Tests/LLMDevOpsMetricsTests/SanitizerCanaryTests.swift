import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The planted fault to run: `race`, `use-after-free`, or nil (none).
private let sanitizerCanary = ProcessInfo.processInfo.environment["LLMDEVOPS_SANITIZER_CANARY"]

/// Planted faults that prove a sanitizer build reports what it should. `Scripts/sanitize.sh`
/// runs one of them alone (`LLMDEVOPS_SANITIZER_CANARY=race` or `use-after-free`, with the
/// sanitizer set to stop at its first report) before the suites, and fails unless the process
/// stops with a report that names this file. Reaching the end of a canary means the sanitizer
/// saw nothing, which fails the test. Without that variable they do not run, so no normal test
/// run races or touches freed memory.
@Suite(.enabled(if: sanitizerCanary != nil))
struct SanitizerCanaryTests {
    /// Two threads add to one plain `Int` with nothing ordering them: a data race that
    /// ThreadSanitizer must report (it judges by happens-before, not by timing).
    @Test(.enabled(if: sanitizerCanary == "race"))
    func twoThreadsWriteOneIntWithoutALock() {
        let shared = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        shared.initialize(to: 0)
        defer { shared.deallocate() }
        var threads: [pthread_t] = []
        for _ in 0..<2 {
            var thread = pthread_t()
            let created = pthread_create(
                &thread, nil,
                { argument in
                    let counter = argument!.assumingMemoryBound(to: Int.self)
                    for _ in 0..<10_000 { counter.pointee &+= 1 }
                    return nil
                }, shared)
            #expect(created == 0)
            threads.append(thread)
        }
        for thread in threads { pthread_join(thread, nil) }
        Issue.record("ThreadSanitizer did not stop at the race (counter \(shared.pointee))")
    }

    /// Reads an allocation after freeing it: AddressSanitizer must report a heap-use-after-free.
    @Test(.enabled(if: sanitizerCanary == "use-after-free"))
    func readAfterFree() {
        let pointer = UnsafeMutablePointer<Int>.allocate(capacity: 4)
        pointer.initialize(repeating: 7, count: 4)
        pointer.deallocate()
        let value = pointer[2]
        Issue.record("AddressSanitizer did not stop at the read after free (read \(value))")
    }
}
