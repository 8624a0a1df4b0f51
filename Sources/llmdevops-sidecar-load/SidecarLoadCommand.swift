#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LLMDevOpsMetrics
import LLMDevOpsCollectors
import Logging

/// `llmdevops-sidecar-load (--socket PATH | --tcp PORT) --events N [--seed S] [--rate R]`:
/// sends the seeded synthetic workload (``SyntheticWorkload``) through a ``SidecarEmitter``,
/// drains, and prints one JSON object to stdout: the emitter's statistics, the workload's
/// event count, and the elapsed time and events per second from the first event until the
/// sidecar had read the last one (the emitter's shutdown waits for that).
///
/// Used by the sidecar end-to-end tests as the second process, and for the socket throughput
/// figure: `swift build -c release && .build/release/llmdevops-sidecar-load --socket S --events 1000000`.
@main
struct SidecarLoadCommand {
    static let usage = """
        usage: llmdevops-sidecar-load (--socket PATH | --tcp PORT) --events N [--seed S] [--rate R]
                                      [--buffer N] [--drain-timeout-ms MS] [--log-level LEVEL]
          --socket PATH         the sidecar's Unix domain socket
          --tcp PORT            the sidecar's TCP port on 127.0.0.1
          --events N            record calls to make (the workload may finish a run slightly past N)
          --seed S              workload seed (default 42)
          --rate R              pace to about R events per second (default: as fast as possible)
          --buffer N            emitter buffer capacity in events (default 65536)
          --drain-timeout-ms MS how long shutdown may take to write what is buffered (default 60000)
        """

    static func main() async {
        let options: LoadOptions
        do {
            options = try LoadOptions(CommandLine.arguments.dropFirst())
        } catch {
            fail(error.message)
        }
        let level = options.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var configuration = SidecarEmitterConfiguration(endpoint: options.endpoint)
        configuration.bufferCapacity = options.buffer
        configuration.drainTimeout = .milliseconds(options.drainTimeoutMilliseconds)
        let emitter = SidecarEmitter(configuration: configuration, logger: Logger(label: "llmdevops-sidecar-load"))
        let clock = ContinuousClock()
        let start = clock.now
        var summary = WorkloadSummary()
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await emitter.run() }
                let workload = SyntheticWorkload(seed: options.seed)
                if let rate = options.rate {
                    let paced = PacedRecorder(emitter: emitter, eventsPerSecond: rate, clock: clock, start: start)
                    summary = await workload.run(llm: paced, agent: paced, events: options.events)
                } else {
                    summary = await workload.run(llm: emitter, agent: emitter, events: options.events)
                }
                await emitter.flush()
                emitter.shutdown()
                try await group.waitForAll()
            }
        } catch {
            fail("\(error)")
        }
        let elapsed = start.duration(to: clock.now)
        let seconds = elapsed.seconds
        let statistics = emitter.statistics
        let fields: [(String, String)] = [
            ("recorded", "\(statistics.recorded)"), ("sent", "\(statistics.sent)"), ("dropped", "\(statistics.dropped)"),
            ("buffered", "\(statistics.buffered)"), ("reconnects", "\(statistics.reconnects)"),
            ("connect_failures", "\(statistics.connectFailures)"), ("workload_events", "\(summary.events)"),
            ("seconds", "\(seconds)"), ("events_per_second", "\(seconds > 0 ? Double(statistics.sent) / seconds : 0)"),
        ]
        print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    }

    static func fail(_ message: String) -> Never {
        let line = Array("llmdevops-sidecar-load: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        exit(2)
    }
}
