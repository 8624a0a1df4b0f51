import Logging

/// A log handler that hands every message to an `AsyncStream`, so a test can wait for a state
/// a component only logs, e.g. `SidecarListener`'s "Sidecar listening" (bound and listening).
struct LogMessageSignal: LogHandler {
    let continuation: AsyncStream<String>.Continuation
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    func log(event: LogEvent) {
        continuation.yield(event.message.description)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}
