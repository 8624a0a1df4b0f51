package import Synchronization

#if LLMDEVOPS_TSAN
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
#endif

/// The project's lock: `Synchronization.Mutex` with the same call shape (`withLock { }`), and
/// a lock ThreadSanitizer understands in ThreadSanitizer builds.
///
/// On Linux `Mutex` waits with futex system calls that ThreadSanitizer does not intercept, so
/// it sees no ordering between two critical sections and reports every access made under a
/// `Mutex` as a race (two threads adding 100,000 times each to a `Mutex<Int>` end exactly at
/// 200,000, and TSan still reports a "Swift access race"). With the compilation condition
/// `LLMDEVOPS_TSAN` (Package.swift sets it when `LLMDEVOPS_SANITIZER=thread`, as
/// `Scripts/sanitize.sh thread` does) the lock is a `pthread_mutex_t`, whose lock and unlock
/// TSan intercepts, so every report that remains is a real race. Without it (every normal
/// build) it is exactly a `Mutex` stored inline: same size, no allocation, and `withLock`
/// inlines into the caller.
///
/// ```swift
/// private let state = Lock(State())
/// let count = state.withLock { $0.count += 1; return $0.count }
/// ```
package struct Lock<Value: ~Copyable>: ~Copyable {
    #if LLMDEVOPS_TSAN
    @usableFromInline let storage: PthreadLockStorage<Value>
    #else
    @usableFromInline let mutex: Mutex<Value>
    #endif

    /// Creates a lock protecting `initialValue`.
    @inlinable
    package init(_ initialValue: consuming sending Value) {
        #if LLMDEVOPS_TSAN
        storage = PthreadLockStorage(initialValue)
        #else
        mutex = Mutex(initialValue)
        #endif
    }

    /// Runs `body` with exclusive access to the value; other callers wait until it returns.
    @inlinable
    @inline(__always)
    package borrowing func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        #if LLMDEVOPS_TSAN
        try storage.withLock(body)
        #else
        try mutex.withLock(body)
        #endif
    }
}

// The value is only reached inside `withLock`, under the mutex; values go in and out as `sending`.
extension Lock: Sendable where Value: ~Copyable {}

#if LLMDEVOPS_TSAN
/// The ThreadSanitizer form of ``Lock``: a heap-allocated `pthread_mutex_t` and the value.
///
/// `@unchecked Sendable` invariant: `value` is read and written only in ``withLock(_:)``,
/// between `pthread_mutex_lock` and `pthread_mutex_unlock` on `mutex`, which lives as long as
/// the object. Values enter through `init` and leave through `withLock` as `sending`.
@usableFromInline
package final class PthreadLockStorage<Value: ~Copyable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    @usableFromInline
    init(_ value: consuming Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        // Invariant, not input: default attributes on fresh memory cannot fail on Linux or Darwin.
        precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @usableFromInline
    func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
#endif
