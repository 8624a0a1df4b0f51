/// What one good read of a ``ProcessSource`` yielded, already parsed and scaled.
package enum ProcessReading: Sendable, Equatable {
    /// `self/stat`: utime + stime and starttime, in seconds (starttime counts from boot).
    case stat(cpuSeconds: Double, startSecondsAfterBoot: Double)
    /// `/proc/stat` `btime`: boot time in seconds since the epoch.
    case procStat(bootTime: Double)
    /// `self/status` `Threads`.
    case status(threads: Double)
    /// `self/statm` size and resident set, in bytes.
    case statm(virtualBytes: Double, residentBytes: Double)
    /// Entries of `self/fd`.
    case fd(openFiles: Double)
    /// `self/limits` soft limits of open files and address space.
    case limits(maxFiles: Double, maxAddressSpace: Double)
    /// `self/net/dev`, per interface.
    case netDev([NetworkInterfaceBytes])
    /// `mallinfo2()` arena + mmapped bytes; nil when glibc's allocator is not the one in use
    /// (see ``MallocStatistics/describesProcessAllocator``), so the heap is not known.
    case heap(bytes: Double?)
}
