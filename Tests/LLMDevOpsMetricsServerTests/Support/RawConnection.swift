import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain TCP connection to a loopback port, for clients that misbehave on purpose (partial
/// request heads, silence) where an HTTP client would not.
final class RawConnection {
    private let descriptor: Int32

    /// Connects to `port` on 127.0.0.1; `receiveBufferBytes` sets `SO_RCVBUF` before the
    /// connection is made (a small one keeps a large response from arriving until it is read).
    init?(port: Int, receiveBufferBytes: Int32? = nil) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return nil }
        if var size = receiveBufferBytes {
            guard setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                close(fd)
                return nil
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Sends all of `text`; false when the peer is gone.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { buffer in
            Glibc.send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)) == buffer.count
        }
    }

    /// Closes the sending side (`SHUT_WR`): the peer reads end of file, the connection stays
    /// open for what it sends back.
    func shutdownWrite() { _ = shutdown(descriptor, Int32(SHUT_WR)) }

    /// Waits up to `milliseconds` for the peer to close the connection (end of stream or a
    /// reset), discarding anything it sends first. True when it closed in time. The blocking
    /// poll runs on a thread of its own, never on one of Swift concurrency's few threads.
    func waitForClose(milliseconds: Int32) async -> Bool {
        let descriptor = self.descriptor
        return await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Self.waitForClose(descriptor: descriptor, milliseconds: milliseconds)) }
                .start()
        }
    }

    private static func waitForClose(descriptor: Int32, milliseconds: Int32) -> Bool {
        var remaining = milliseconds
        var buffer = [UInt8](repeating: 0, count: 4096)
        while remaining > 0 {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let started = ContinuousClock.now
            let ready = poll(&poller, 1, remaining)
            let waited = ContinuousClock.now - started
            remaining -= Int32(waited.components.seconds * 1000 + waited.components.attoseconds / 1_000_000_000_000_000)
            guard ready > 0 else { continue }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { return true }  // 0: orderly close; < 0: reset
        }
        return false
    }

    /// What a misbehaving request got back.
    enum Outcome: Hashable, CustomStringConvertible {
        case status(Int)
        case closed
        case timedOut

        var description: String {
            switch self {
            case .status(let code): "\(code)"
            case .closed: "closed"
            case .timedOut: "timed_out"
            }
        }
    }

    /// Waits up to `milliseconds` for the status line of a response (or the peer closing), on
    /// a thread of its own: a blocking `poll` on one of the few cooperative threads would starve
    /// the server it is waiting for.
    func readOutcome(milliseconds: Int32) async -> Outcome {
        let descriptor = self.descriptor
        return await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Self.readOutcome(descriptor: descriptor, milliseconds: milliseconds)) }.start()
        }
    }

    private static func readOutcome(descriptor: Int32, milliseconds: Int32) -> Outcome {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + .milliseconds(Int(milliseconds))
        while ContinuousClock.now < deadline {
            let left = deadline - ContinuousClock.now
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000) + 1)
            guard ready > 0 else { continue }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { return received.isEmpty ? .closed : status(in: received) }
            received.append(contentsOf: buffer[0..<count])
            if received.contains(UInt8(ascii: "\n")) { return status(in: received) }
        }
        return .timedOut
    }

    /// Reads until at least `count` bytes have arrived, the peer closes or `milliseconds`
    /// pass (on a thread of its own), and returns what arrived.
    func read(atLeast count: Int, milliseconds: Int32) async -> [UInt8] {
        let descriptor = self.descriptor
        return await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: Self.read(descriptor: descriptor, atLeast: count, milliseconds: milliseconds).bytes)
            }.start()
        }
    }

    /// Reads until the peer closes (nil if it has not within `milliseconds`), on a thread of
    /// its own.
    func readToEnd(milliseconds: Int32) async -> [UInt8]? {
        let descriptor = self.descriptor
        return await withCheckedContinuation { continuation in
            Thread {
                let result = Self.read(descriptor: descriptor, atLeast: .max, milliseconds: milliseconds)
                continuation.resume(returning: result.closed ? result.bytes : nil)
            }.start()
        }
    }

    private static func read(descriptor: Int32, atLeast wanted: Int, milliseconds: Int32) -> (bytes: [UInt8], closed: Bool) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + .milliseconds(Int(milliseconds))
        while ContinuousClock.now < deadline, received.count < wanted {
            let left = deadline - ContinuousClock.now
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000) + 1)
            guard ready > 0 else { continue }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { return (received, true) }
            received.append(contentsOf: buffer[0..<count])
        }
        return (received, false)
    }

    /// The status and body of a complete HTTP/1.1 response with a `Content-Length`; nil if
    /// `bytes` is not one (a truncated body included).
    static func response(_ bytes: [UInt8]) -> (status: Int, body: [UInt8])? {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
        let head = String(decoding: bytes[..<end], as: UTF8.self).split(separator: "\r\n")
        guard case .status(let status) = Self.status(in: bytes) else { return nil }
        let length = head.dropFirst().compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first
        let body = Array(bytes[(end + separator.count)...])
        guard let length, body.count == length else { return nil }
        return (status, body)
    }

    private static func status(in bytes: [UInt8]) -> Outcome {
        // "HTTP/1.1 404 Not Found"
        let line = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let code = Int(parts[1]) else { return .closed }
        return .status(code)
    }
}
