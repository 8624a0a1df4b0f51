/// Reads the files and directories below a proc root for the process and runtime samplers.
///
/// The samplers call it only from their own sweep threads, never from a scrape. Tests inject a
/// reader that counts reads (and still reads real files) or that signals when a read begins.
package protocol ProcReader: Sendable {
    /// The whole file as text, or nil when it cannot be opened or read. May block (a FIFO, a
    /// stuck file system): the samplers call it off Swift concurrency's cooperative threads.
    func contents(of path: String) -> String?
    /// The number of entries in a directory, `.` and `..` excluded, or nil when it cannot be opened.
    func countEntries(_ path: String) -> Int?
}

/// The real file system, through ``ProcFile``'s plain POSIX calls.
package struct FileSystemProcReader: ProcReader {
    /// Creates the reader.
    package init() {}

    package func contents(of path: String) -> String? {
        ProcFile.contents(of: path)
    }

    package func countEntries(_ path: String) -> Int? {
        ProcFile.countEntries(path)
    }
}
