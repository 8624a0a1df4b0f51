/// What the runtime sampler reads in one sweep. ``task`` (`/proc/self/task`) is the `source`
/// label `task` of `llmdevops_process_read_errors_total` and `llmdevops_process_read_stalled`;
/// ``malloc`` (`mallinfo2()`, no file) has no such series.
package enum RuntimeSource: String, CaseIterable, Sendable {
    case task
    case malloc

    /// The `source` label, for the `/proc` directory.
    var label: String? { self == .task ? rawValue : nil }
}
