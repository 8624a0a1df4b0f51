/// Received and transmitted bytes of one interface of `/proc/<pid>/net/dev`.
package struct NetworkInterfaceBytes: Equatable, Sendable {
    package var name: String
    package var received: UInt64
    package var transmitted: UInt64

    package init(name: String, received: UInt64, transmitted: UInt64) {
        self.name = name
        self.received = received
        self.transmitted = transmitted
    }
}
