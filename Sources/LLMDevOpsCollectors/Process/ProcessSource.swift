/// What the process sampler reads in one sweep, in reading order. The raw values of the
/// `/proc` files are the `source` label of `llmdevops_process_read_errors_total` and
/// `llmdevops_process_read_stalled`; ``heap`` (`mallinfo2()`, no file) has no such series.
package enum ProcessSource: String, CaseIterable, Sendable {
    case stat
    case procStat = "proc_stat"
    case status
    case statm
    case fd
    case limits
    case netDev = "net_dev"
    case heap

    /// The `source` label, for the `/proc` files.
    var label: String? { self == .heap ? nil : rawValue }

    /// The sources with a `source` label.
    static let files: [ProcessSource] = allCases.filter { $0.label != nil }
}
