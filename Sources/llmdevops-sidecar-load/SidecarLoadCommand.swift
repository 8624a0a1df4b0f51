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
import LLMDevOpsSidecarEmitter
import Logging
import UnixSignals

/// `llmdevops-sidecar-load (--socket PATH | --tcp PORT) --events N [--seed S] [--rate R]`:
/// sends the seeded synthetic workload (``SyntheticWorkload``) through a ``SidecarEmitter``,
/// drains, and prints one JSON object to stdout: the emitter's statistics, the workload's
/// event count, and the elapsed time and events per second from the first event until the
/// sidecar had read the last one (the emitter's shutdown waits for that).
///
/// It also reports the process's CPU time (user and system, from getrusage) per event sent, and
/// with `--record-latency` the distribution of how long each `record(_:)` call took on the caller.
///
/// Used by the sidecar end-to-end tests as the second process, and for the socket throughput
/// figure: `swift build -c release && .build/release/llmdevops-sidecar-load --socket S --events 1000000`.
@main
struct SidecarLoadCommand {
    static let usage = """
        usage: llmdevops-sidecar-load (--socket PATH | --tcp PORT) --events N [--seed S] [--rate R]
                                      [--buffer N] [--drain-timeout-ms MS] [--log-level LEVEL] [--record-latency]
          --socket PATH         the sidecar's Unix domain socket
          --tcp PORT            the sidecar's TCP port on 127.0.0.1
          --events N            record calls to make (the workload may finish a run slightly past N)
          --seed S              workload seed (default 42)
          --rate R              pace to about R events per second (default: as fast as possible);
                                SIGTERM or SIGINT then stop the workload early, and the run drains and reports
          --buffer N            emitter buffer capacity in events (default 65536)
          --drain-timeout-ms MS how long shutdown may take to write what is buffered (default 60000)
          --record-latency      time every record call and report its percentiles in nanoseconds
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
        let timed = options.recordLatency ? TimedRecorder(emitter: emitter, samples: .init(capacity: options.events + 64)) : nil
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await emitter.run() }
                summary = await runWorkload(options, emitter: emitter, timed: timed, stoppingOn: signals)
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
        var usage = rusage()
        #if canImport(Darwin)
        _ = getrusage(RUSAGE_SELF, &usage)
        #else
        _ = getrusage(RUSAGE_SELF.rawValue, &usage)
        #endif
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
        var fields: [(String, String)] = [
            ("recorded", "\(statistics.recorded)"), ("sent", "\(statistics.sent)"), ("dropped", "\(statistics.dropped)"),
            ("buffered", "\(statistics.buffered)"), ("reconnects", "\(statistics.reconnects)"),
            ("connect_failures", "\(statistics.connectFailures)"), ("workload_events", "\(summary.events)"),
            ("seconds", "\(seconds)"), ("events_per_second", "\(seconds > 0 ? Double(statistics.sent) / seconds : 0)"),
            ("cpu_user_seconds", "\(user)"), ("cpu_system_seconds", "\(system)"),
            ("cpu_ns_per_event", "\(statistics.sent > 0 ? (user + system) * 1e9 / Double(statistics.sent) : 0)"),
        ]
        fields += (timed?.percentiles() ?? []).map { ($0.0, "\($0.1)") }
        print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    }

    /// Runs the workload until its events are recorded. With `--rate`, SIGTERM or SIGINT stop
    /// it early (the run then drains and reports as usual); an unpaced run ignores them.
    static func runWorkload(
        _ options: LoadOptions, emitter: SidecarEmitter, timed: TimedRecorder?, stoppingOn signals: UnixSignalsSequence
    ) async -> WorkloadSummary {
        await withTaskGroup(of: WorkloadSummary?.self) { group in
            group.addTask {
                let workload = SyntheticWorkload(seed: options.seed)
                if let rate = options.rate {
                    return await workload.run(llm: emitter, agent: emitter, events: options.events, eventsPerSecond: rate)
                } else if let timed {
                    return await workload.run(llm: timed, agent: timed, events: options.events)
                }
                return await workload.run(llm: emitter, agent: emitter, events: options.events)
            }
            group.addTask {
                for await _ in signals { break }
                return nil
            }
            var summary = WorkloadSummary()
            // Whichever ends first (the workload, or a signal) ends the other.
            while let result = await group.next() {
                if let result { summary = result }
                group.cancelAll()
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
