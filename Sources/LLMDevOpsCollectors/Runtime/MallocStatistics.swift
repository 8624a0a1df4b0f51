#if canImport(Glibc)
import CGlibcMalloc
#endif

/// glibc allocator figures from `mallinfo2()` (glibc 2.33+), which walks every arena under the
/// allocator's locks: call it per scrape, not per request.
struct MallocStatistics: Sendable {
    /// `arena`: bytes of non-mmapped memory obtained from the system (main and thread arenas).
    var arenaBytes: Double
    /// `hblkhd`: bytes in chunks allocated directly with mmap.
    var mmapBytes: Double
    /// `hblks`: chunks allocated directly with mmap.
    var mmapRegions: Double
    /// `uordblks`: bytes in allocated (in-use) chunks of the arenas.
    var arenaInUseBytes: Double
    /// `fordblks`: bytes in free chunks of the arenas.
    var freeBytes: Double
    /// `keepcost`: releasable bytes at the top of the main arena.
    var releasableBytes: Double

    /// Bytes handed out to the program: arena chunks in use plus mmapped chunks.
    var inUseBytes: Double { arenaInUseBytes + mmapBytes }
    /// Bytes the allocator holds from the system: arenas plus mmapped chunks.
    var heapBytes: Double { arenaBytes + mmapBytes }

    /// The current figures, or nil where `mallinfo2` does not exist.
    static func current() -> MallocStatistics? {
        #if canImport(Glibc)
        let info = mallinfo2()
        return MallocStatistics(
            arenaBytes: Double(info.arena),
            mmapBytes: Double(info.hblkhd),
            mmapRegions: Double(info.hblks),
            arenaInUseBytes: Double(info.uordblks),
            freeBytes: Double(info.fordblks),
            releasableBytes: Double(info.keepcost)
        )
        #else
        return nil
        #endif
    }
}
