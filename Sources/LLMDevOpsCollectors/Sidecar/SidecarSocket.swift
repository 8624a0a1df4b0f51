#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One non-blocking stream socket to the sidecar, owned by the emitter's I/O thread. Plain
/// POSIX calls; `release()` must be called exactly once.
struct SidecarSocket {
    /// Why a connection attempt failed: the operation and its errno.
    struct Failure: Error, Sendable, CustomStringConvertible {
        let operation: String
        let code: Int32
        var description: String { "\(operation): \(String(cString: strerror(code)))" }
    }

    /// What one `send` achieved.
    enum SendResult {
        case wrote(Int)
        case wouldBlock
        case failed(Int32)
    }

    let descriptor: Int32

    /// Connects to `endpoint` within `timeout`.
    static func open(
        to endpoint: SidecarEmitterConfiguration.Endpoint,
        timeout: Duration
    ) throws(Failure) -> SidecarSocket {
        switch endpoint {
        case .unixDomainSocket(let path):
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            let capacity = MemoryLayout.size(ofValue: address.sun_path)
            guard !bytes.isEmpty, bytes.count < capacity else { throw Failure(operation: "socket path", code: ENAMETOOLONG) }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: bytes)
                raw[bytes.count] = 0
            }
            return try openStream(family: AF_UNIX, address: address, timeout: timeout)
        case .tcp(let host, let port):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            guard (1...65535).contains(port), inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
                throw Failure(operation: "address \(host):\(port)", code: EINVAL)
            }
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            return try openStream(family: AF_INET, address: address, timeout: timeout)
        }
    }

    private static func openStream<Address>(family: Int32, address: Address, timeout: Duration) throws(Failure) -> SidecarSocket {
        #if canImport(Darwin)
        let type = SOCK_STREAM
        #else
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #endif
        let descriptor = socket(family, type, 0)
        guard descriptor >= 0 else { throw Failure(operation: "socket", code: errno) }
        let socket = SidecarSocket(descriptor: descriptor)
        #if canImport(Darwin)
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var one: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        if family == AF_INET {
            var one: Int32 = 1
            _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = address
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<Address>.size))
            }
        }
        if result == 0 { return socket }
        let code = errno
        guard code == EINPROGRESS else {
            socket.release()
            throw Failure(operation: "connect", code: code)
        }
        // TCP: wait for the handshake, then read its outcome.
        var descriptors = [pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)]
        let ready = poll(&descriptors, 1, Self.milliseconds(timeout))
        var failure: Int32 = ready == 0 ? ETIMEDOUT : errno
        if ready > 0 {
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length)
            if failure == 0 { return socket }
        }
        socket.release()
        throw Failure(operation: "connect", code: failure)
    }

    /// Writes as much of `bytes[range]` as the socket takes now.
    func write(_ bytes: [UInt8], from offset: Int) -> SendResult {
        let count = bytes.count - offset
        let written = bytes.withUnsafeBytes { raw in
            send(descriptor, raw.baseAddress.map { $0 + offset }, count, Self.sendFlags)
        }
        if written >= 0 { return .wrote(written) }
        let code = errno
        return code == EAGAIN || code == EWOULDBLOCK || code == EINTR ? .wouldBlock : .failed(code)
    }

    /// Reads and discards whatever the sidecar sent; true when it closed its side (or failed).
    /// The protocol is one-way, so anything readable means "closing".
    func peerHasClosed() -> Bool {
        var scratch = [UInt8](repeating: 0, count: 512)
        while true {
            let count = scratch.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count == 0 { return true }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                return !(code == EAGAIN || code == EWOULDBLOCK)
            }
        }
    }

    /// Half-closes: the sidecar reads everything written so far and then end of file.
    func shutdownWrite() {
        _ = shutdown(descriptor, Int32(SHUT_WR))
    }

    func release() {
        _ = close(descriptor)
    }

    #if canImport(Darwin)
    private static let sendFlags: Int32 = 0
    #else
    private static let sendFlags = Int32(MSG_NOSIGNAL)
    #endif

    /// A poll(2) timeout: milliseconds, rounded up, at least 0.
    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}
