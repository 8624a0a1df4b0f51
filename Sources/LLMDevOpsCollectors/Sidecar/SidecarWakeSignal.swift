#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A self-pipe that interrupts the emitter's I/O thread in poll(2): any thread may `signal()`,
/// the I/O thread polls `readDescriptor` and calls `drain()`.
struct SidecarWakeSignal: Sendable {
    let readDescriptor: Int32
    let writeDescriptor: Int32

    /// Opens the pipe (both ends non-blocking, close-on-exec); nil when the process is out of descriptors.
    static func open() -> SidecarWakeSignal? {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { return nil }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        return SidecarWakeSignal(readDescriptor: descriptors[0], writeDescriptor: descriptors[1])
    }

    /// Wakes the poller. A full pipe already holds a wake-up, so a failed write loses nothing.
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    /// Empties the pipe after a wake-up.
    func drain() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while scratch.withUnsafeMutableBytes({ read(readDescriptor, $0.baseAddress, $0.count) }) > 0 {}
    }

    func release() {
        _ = close(readDescriptor)
        _ = close(writeDescriptor)
    }
}
