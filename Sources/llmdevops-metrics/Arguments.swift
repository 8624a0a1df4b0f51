/// The parsed command line.
struct Arguments {
    struct Problem: Error {
        let message: String
    }

    var configPath = "Config/llmdevops-metrics.yaml"
    var demo = false
    var demoEvents: Int?
    /// `--demo-rate`: nil streams `--demo` at 200 events/s and runs `--demo-events` unpaced.
    var demoRate: Double?
    /// `--demo-seed`: the synthetic workload's seed (replicas given different seeds emit different traffic).
    var demoSeed: UInt64 = 42
    var renderOnce = false
    var help = false

    /// Whether a synthetic workload runs (`--demo` or `--demo-events`).
    var isDemo: Bool { demo || demoEvents != nil }

    init(_ arguments: ArraySlice<String>) throws(Problem) {
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--config":
                guard let path = remaining.popFirst(), !path.isEmpty else {
                    throw Problem(message: "--config needs a file argument")
                }
                configPath = path
            case _ where argument.hasPrefix("--config="):
                configPath = String(argument.dropFirst("--config=".count))
            case "--demo":
                demo = true
            case "--demo-events":
                guard let value = remaining.popFirst(), let events = Int(value), events >= 0 else {
                    throw Problem(message: "--demo-events needs a number of events (0 or more)")
                }
                demoEvents = events
            case "--demo-rate":
                guard let value = remaining.popFirst(), let rate = Double(value), rate > 0, rate.isFinite else {
                    throw Problem(message: "--demo-rate needs a positive number of events per second")
                }
                demoRate = rate
            case "--demo-seed":
                guard let value = remaining.popFirst(), let seed = UInt64(value) else {
                    throw Problem(message: "--demo-seed needs a non-negative integer seed")
                }
                demoSeed = seed
            case "--render-once":
                renderOnce = true
            case "-h", "--help":
                help = true
            default:
                throw Problem(message: "unknown argument '\(argument)' (try --help)")
            }
        }
    }
}
