#if canImport(Glibc)
import CGlibcMalloc
#endif

/// glibc allocator figures from `mallinfo2()` (glibc 2.33+), which walks every arena under the
/// allocator's locks: the samplers call it once per interval on their sweep threads, never
/// during a scrape.
///
/// `mallinfo2()` only describes glibc's own allocator. When another one replaces `malloc`
/// (AddressSanitizer, or jemalloc or mimalloc, which Swift servers often link), glibc's
/// figures stay at zero (or frozen), and exporting them would look like data. So ``current()``
/// returns figures only when ``describesProcessAllocator`` holds, and the heap metrics
/// (`process_heap_bytes`, `swift_malloc_*`) are left out otherwise.
package struct MallocStatistics: Sendable, Equatable {
    /// `arena`: bytes of non-mmapped memory obtained from the system (main and thread arenas).
    package var arenaBytes: Double
    /// `hblkhd`: bytes in chunks allocated directly with mmap.
    package var mmapBytes: Double
    /// `hblks`: chunks allocated directly with mmap.
    package var mmapRegions: Double
    /// `uordblks`: bytes in allocated (in-use) chunks of the arenas.
    package var arenaInUseBytes: Double
    /// `fordblks`: bytes in free chunks of the arenas.
    package var freeBytes: Double
    /// `keepcost`: releasable bytes at the top of the main arena.
    package var releasableBytes: Double

    package init(
        arenaBytes: Double, mmapBytes: Double, mmapRegions: Double, arenaInUseBytes: Double, freeBytes: Double,
        releasableBytes: Double
    ) {
        self.arenaBytes = arenaBytes
        self.mmapBytes = mmapBytes
        self.mmapRegions = mmapRegions
        self.arenaInUseBytes = arenaInUseBytes
        self.freeBytes = freeBytes
        self.releasableBytes = releasableBytes
    }

    /// Bytes handed out to the program: arena chunks in use plus mmapped chunks.
    package var inUseBytes: Double { arenaInUseBytes + mmapBytes }
    /// Bytes the allocator holds from the system: arenas plus mmapped chunks.
    package var heapBytes: Double { arenaBytes + mmapBytes }

    /// The current figures, or nil where `mallinfo2` does not exist or does not describe the
    /// allocator this process uses.
    package static func current() -> MallocStatistics? {
        describesProcessAllocator ? read() : nil
    }

    /// Whether `mallinfo2()` describes this process's allocator: checked once, the first time
    /// it is asked (on a sampler's sweep thread), by ``probeAllocator(attempts:measure:)``.
    package static let describesProcessAllocator: Bool = probeAllocator { size in
        #if canImport(Glibc)
        let result = cglibc_malloc_probe(size)
        guard result.allocated != 0 else { return nil }
        return (MallocStatistics(result.before), MallocStatistics(result.after))
        #else
        return nil
        #endif
    }

    /// The blocks the allocator check allocates, in order of preference. 64 MiB is above
    /// glibc's largest mmap threshold (32 MiB on 64-bit), so glibc serves it with its own mmap
    /// (`hblkhd`), frees it with munmap without moving the dynamic threshold, and never touches
    /// its pages (no resident memory); it takes another thread freeing 32 MiB inside the
    /// window to hide it. 64 KiB (from an arena, below the smallest threshold) is the fallback
    /// where an address-space limit refuses the large block.
    package static let probeSizes = [64 << 20, 64 << 10]

    /// Whether a `malloc` shows in `mallinfo2()`: `measure(size)` takes a snapshot, allocates
    /// `size` bytes, takes another and frees the block, or returns nil when the block could
    /// not be allocated (the next size is tried). glibc's figures then show at least the block
    /// more in use; another allocator leaves them where they were (all zero under
    /// AddressSanitizer, frozen at what the loader allocated under jemalloc). Other threads
    /// allocate and free meanwhile, so a rise of half the block is enough, and each size is
    /// tried `attempts` times before concluding that glibc is not the allocator. Checking which
    /// object `malloc` resolves to (`dladdr`) would not do: jemalloc and static links put it
    /// in the executable, and jemalloc also defines glibc's `__libc_malloc`.
    package static func probeAllocator(
        attempts: Int = 3,
        measure: (_ size: Int) -> (before: MallocStatistics, after: MallocStatistics)?
    ) -> Bool {
        for size in probeSizes {
            var measured = false
            for _ in 0..<max(1, attempts) {
                guard let snapshots = measure(size) else { break }
                measured = true
                if snapshots.after.inUseBytes - snapshots.before.inUseBytes >= Double(size) / 2 { return true }
            }
            if measured { return false }
        }
        return false
    }

    /// `mallinfo2()` now, whatever the allocator.
    static func read() -> MallocStatistics? {
        #if canImport(Glibc)
        return MallocStatistics(mallinfo2())
        #else
        return nil
        #endif
    }
}

#if canImport(Glibc)
extension MallocStatistics {
    init(_ info: mallinfo2) {
        self.init(
            arenaBytes: Double(info.arena),
            mmapBytes: Double(info.hblkhd),
            mmapRegions: Double(info.hblks),
            arenaInUseBytes: Double(info.uordblks),
            freeBytes: Double(info.fordblks),
            releasableBytes: Double(info.keepcost)
        )
    }
}
#endif
