import LLMDevOpsCollectors
import LLMDevOpsSidecarEmitter
import Logging

/// The parsed command line of `llmdevops-sidecar-load`.
struct LoadOptions {
    struct Problem: Error {
        let message: String
    }

    var endpoint = SidecarEmitterConfiguration.Endpoint.unixDomainSocket(path: "")
    var events = 0
    var seed: UInt64 = 42
    var rate: Double?
    var buffer = 65_536
    var drainTimeoutMilliseconds = 60_000
    var logLevel = Logger.Level.notice
    var recordLatency = false

    init(_ arguments: ArraySlice<String>) throws(Problem) {
        var remaining = arguments
        var hasEndpoint = false
        var hasEvents = false
        func value(_ name: String) throws(Problem) -> String {
            guard let value = remaining.popFirst() else { throw Problem(message: "\(name) needs a value\n\(SidecarLoadCommand.usage)") }
            return value
        }
        while let argument = remaining.popFirst() {
            switch argument {
            case "--socket":
                endpoint = .unixDomainSocket(path: try value(argument))
                hasEndpoint = true
            case "--tcp":
                guard let port = Int(try value(argument)), (1...65535).contains(port) else { throw Problem(message: "--tcp needs a port") }
                endpoint = .tcp(host: "127.0.0.1", port: port)
                hasEndpoint = true
            case "--events":
                guard let events = Int(try value(argument)), events >= 0 else { throw Problem(message: "--events needs a count") }
                self.events = events
                hasEvents = true
            case "--seed":
                guard let seed = UInt64(try value(argument)) else { throw Problem(message: "--seed needs an unsigned integer") }
                self.seed = seed
            case "--rate":
                guard let rate = Double(try value(argument)), rate > 0, rate.isFinite else { throw Problem(message: "--rate needs a positive number") }
                self.rate = rate
            case "--buffer":
                guard let buffer = Int(try value(argument)), buffer > 0 else { throw Problem(message: "--buffer needs a positive count") }
                self.buffer = buffer
            case "--drain-timeout-ms":
                guard let timeout = Int(try value(argument)), timeout >= 0 else { throw Problem(message: "--drain-timeout-ms needs milliseconds") }
                drainTimeoutMilliseconds = timeout
            case "--record-latency":
                recordLatency = true
            case "--log-level":
                guard let level = Logger.Level(rawValue: try value(argument)) else { throw Problem(message: "unknown log level") }
                logLevel = level
            default:
                throw Problem(message: "unknown argument '\(argument)'\n\(SidecarLoadCommand.usage)")
            }
        }
        guard hasEndpoint, hasEvents else { throw Problem(message: "--socket or --tcp, and --events, are required\n\(SidecarLoadCommand.usage)") }
    }
}
