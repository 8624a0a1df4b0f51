#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The life of the listener's socket file: checked before binding, restricted to its mode
/// after, removed at shutdown only if it is still the one this process created.
enum SidecarSocketFile {
    /// Succeeds when `path` is free or holds a stale socket (which the bind then replaces).
    /// Refuses a regular file, a directory or anything else, and a socket that another process
    /// still accepts connections on.
    static func checkReplaceable(_ path: String) throws(ServerError) {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw ServerError(.bind, "cannot inspect the sidecar socket path \(path): \(String(cString: strerror(code)))")
        }
        guard status.st_mode & S_IFMT == S_IFSOCK else {
            throw ServerError(.bind, "\(path) exists and is not a socket; refusing to replace it")
        }
        if isAccepting(path) {
            throw ServerError(.bind, "another process is listening on the sidecar socket \(path)")
        }
    }

    /// Sets the socket file's permission bits; returns its inode for ``remove(_:inode:)``.
    static func restrict(_ path: String, mode: Int) throws(ServerError) -> UInt64 {
        guard chmod(path, mode_t(mode)) == 0 else {
            throw ServerError(.bind, "cannot set mode \(String(mode, radix: 8)) on \(path): \(String(cString: strerror(errno)))")
        }
        var status = stat()
        guard lstat(path, &status) == 0 else {
            throw ServerError(.bind, "cannot inspect \(path): \(String(cString: strerror(errno)))")
        }
        return UInt64(status.st_ino)
    }

    /// Unlinks `path` if it is still the socket with `inode` (a newer instance may own the path).
    static func remove(_ path: String, inode: UInt64) {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK, UInt64(status.st_ino) == inode else { return }
        _ = unlink(path)
    }

    /// Whether a process accepts connections on the socket at `path` (non-blocking probe).
    private static func isAccepting(_ path: String) -> Bool {
        #if canImport(Darwin)
        let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #else
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        // EAGAIN: a listener whose backlog is full is alive too.
        return result == 0 || errno == EAGAIN || errno == EINPROGRESS
    }
}
