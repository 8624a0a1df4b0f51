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
import UnixSignals

/// `llmdevops-sidecar-load (--socket PATH | --tcp PORT) --events N [--seed S] [--rate R]`:
/// sends the seeded synthetic workload (``SyntheticWorkload``) through a ``SidecarEmitter``,
/// drains, and prints one JSON object to stdout: the emitter's statistics, the workload's
/// event count, and the elapsed time and events per second from the first event until the
/// sidecar had read the last one (the emitter's shutdown waits for that).
///
/// A paced run (`--rate`) ends early on SIGTERM or SIGINT: it stops recording, drains and
/// prints its report as if it had reached `--events`, so a test decides when the stream ends
/// (the restart test stops it only once the second service instance has taken over).
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
          --rate R              pace to about R events per second (default: as fast as possible);
                                a paced run ends early, drained and reported, on SIGTERM or SIGINT
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
                    let events = options.events
                    summary = await untilSignalled {
                        await workload.run(llm: emitter, agent: emitter, events: events, eventsPerSecond: rate, clock: clock)
                    }
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

    /// Runs `work` (which stops early when cancelled) until it returns or SIGTERM or SIGINT
    /// arrives, which cancels it; returns what it returned either way.
    static func untilSignalled(_ work: @escaping @Sendable () async -> WorkloadSummary) async -> WorkloadSummary {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        return await withTaskGroup(of: WorkloadSummary?.self) { group in
            group.addTask { await work() }
            group.addTask {
                for await _ in signals { break }
                return nil  // a signal, or cancelled because the work finished
            }
            var summary = WorkloadSummary()
            while let result = await group.next() {
                group.cancelAll()
                if let result {
                    summary = result
                    break
                }
            }
            return summary
        }
    }

    static func fail(_ message: String) -> Never {
        let line = Array("llmdevops-sidecar-load: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        exit(2)
    }
}
