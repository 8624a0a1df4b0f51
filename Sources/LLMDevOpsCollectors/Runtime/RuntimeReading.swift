/// What one good read of a ``RuntimeSource`` yielded.
package enum RuntimeReading: Sendable, Equatable {
    /// Entries of `/proc/self/task`.
    case threads(Double)
    /// `mallinfo2()`; nil when glibc's allocator is not the one in use, so nothing is known.
    case malloc(MallocStatistics?)
}
