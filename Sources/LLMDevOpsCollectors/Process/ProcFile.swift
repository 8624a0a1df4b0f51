#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Small, allocation-light readers for `/proc` files, on plain POSIX calls (no Foundation).
enum ProcFile {
    /// The whole file as text, or nil when it cannot be opened or read. `/proc` files report
    /// size 0, so the file is read in chunks until end of file.
    static func contents(of path: String) -> String? {
        #if canImport(Glibc) || canImport(Musl)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > 16 << 20 { return nil }  // no proc file we read is this large
        }
        return String(decoding: bytes, as: UTF8.self)
        #else
        return nil
        #endif
    }

    /// The number of entries in a directory, `.` and `..` excluded, or nil when it cannot be
    /// opened. For `/proc/self/fd` the count includes the descriptor of the directory stream
    /// itself, as client_golang's does.
    static func countEntries(_ path: String) -> Int? {
        #if canImport(Glibc) || canImport(Musl)
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name -> Bool in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return count
        #else
        return nil
        #endif
    }
}
