import LLMDevOpsTestSupport
import LLMDevOpsMetrics
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A blocking Unix-socket client that writes raw bytes, for feeding the listener anything.
final class RawSocketClient {
    let descriptor: Int32

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result != 0 { close(descriptor) }
        try #require(result == 0, "connect: \(String(cString: strerror(errno)))")
    }

    /// Writes all of `bytes`; false when the service closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    func shutdownWrite() { _ = shutdown(descriptor, Int32(SHUT_WR)) }

    /// Waits (bounded) until the service closes its side; true when it did. The wait blocks a
    /// thread of its own, never one of Swift concurrency's few cooperative threads, which
    /// in-process servers of tests running in parallel need.
    func waitForEndOfFile(timeout: Duration) async -> Bool {
        let descriptor = self.descriptor
        return await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Self.waitForEndOfFile(descriptor: descriptor, timeout: timeout)) }.start()
        }
    }

    private static func waitForEndOfFile(descriptor: Int32, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var scratch = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
            let remaining = ContinuousClock.now.duration(to: deadline)
            let milliseconds = Int32(max(1, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            guard poll(&descriptors, 1, milliseconds) > 0 else { continue }
            let count = scratch.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return true }
        }
        return false
    }

    deinit { close(descriptor) }
}

/// A small seeded generator (SplitMix64) for reproducible fuzz input.
typealias SeededRandom = SplitMix64
