import LLMDevOpsMetrics

/// Parsers for the `/proc` formats the process collector reads. Each returns nil when the text
/// does not have the expected shape.
enum ProcParser {
    /// Fields of `/proc/<pid>/stat` after the command name.
    struct Stat: Equatable {
        var userTicks: Double
        var systemTicks: Double
        var threads: Double
        var startTicks: Double
        var virtualBytes: Double
        var residentPages: Double
    }

    /// Parses `/proc/<pid>/stat`. The command name (field 2) may contain spaces and parentheses,
    /// so fields are counted from the last `)`.
    static func stat(_ text: String) -> Stat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
        // fields[0] is field 3 (state); field n is fields[n - 3].
        guard fields.count >= 22,
            let user = Double(fields[11]), let system = Double(fields[12]),
            let threads = Double(fields[17]), let start = Double(fields[19]),
            let virtual = Double(fields[20]), let resident = Double(fields[21])
        else { return nil }
        return Stat(
            userTicks: user, systemTicks: system, threads: threads, startTicks: start,
            virtualBytes: virtual, residentPages: resident)
    }

    /// The `btime` line of `/proc/stat`: boot time in seconds since the epoch.
    static func bootTime(_ text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingSpaces)
        }
        return nil
    }

    /// A `Key:\tvalue` line of `/proc/<pid>/status`, such as `Threads`.
    static func statusValue(_ text: String, key: String) -> Double? {
        let prefix = key + ":"
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            let rest = line.dropFirst(prefix.count).split(whereSeparator: { $0 == " " || $0 == "\t" })
            return rest.first.flatMap { Double($0) }
        }
        return nil
    }

    /// `/proc/<pid>/statm`: total program size and resident set, in pages.
    static func statm(_ text: String) -> (sizePages: Double, residentPages: Double)? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 2, let size = Double(fields[0]), let resident = Double(fields[1]) else { return nil }
        return (size, resident)
    }

    /// The soft limit of a `/proc/<pid>/limits` row such as `Max open files`; `unlimited` is
    /// 2^64 - 1 (as client_golang exports it).
    static func softLimit(_ text: String, name: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let columns = line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let soft = columns.first else { return nil }
            return soft == "unlimited" ? Double(UInt64.max) : Double(soft)
        }
        return nil
    }

    /// Every interface of `/proc/<pid>/net/dev` with its received and transmitted bytes; nil
    /// when the text is not that table (an empty table, header only, is valid).
    static func networkInterfaces(_ text: String) -> [NetworkInterfaceBytes]? {
        var interfaces: [NetworkInterfaceBytes] = []
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let fields = line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 16, let rx = UInt64(fields[0]), let tx = UInt64(fields[8]) else { continue }
            interfaces.append(
                NetworkInterfaceBytes(name: String(line[..<colon].trimmingSpaces), received: rx, transmitted: tx))
        }
        return !interfaces.isEmpty || text.contains("Inter-") ? interfaces : nil
    }
}
