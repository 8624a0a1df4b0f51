import NIOCore

/// How producers reach a running emitter's ``SidecarConnectionDriver``: each call runs a task on
/// the driver's event loop (`execute` wakes the loop's selector when it sleeps).
struct SidecarEmitterWake: Sendable {
    let eventLoop: any EventLoop
    let driver: NIOLoopBoundBox<SidecarConnectionDriver>

    /// New lines are buffered and the driver was waiting for them.
    func pump() {
        eventLoop.execute { driver.value.pump() }
    }

    /// Shutdown was requested.
    func drain() {
        eventLoop.execute { driver.value.beginDrain() }
    }
}
