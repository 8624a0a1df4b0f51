import LLMDevOpsMetricsServer
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration on every SIGHUP until graceful shutdown.
struct ReloadOnHangupService: Service {
    let signals: UnixSignalsSequence
    let reloader: ConfigurationReloader

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() {
            await reloader.reload()
        }
    }
}
