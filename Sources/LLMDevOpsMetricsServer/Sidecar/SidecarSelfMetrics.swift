import LLMDevOpsMetrics

/// The listener's own metrics: messages applied and rejected, connections open and refused.
struct SidecarSelfMetrics: Sendable {
    static let messagesName = "llmdevops_sidecar_messages_total"
    static let rejectedName = "llmdevops_sidecar_messages_rejected_total"
    static let connectionsName = "llmdevops_sidecar_connections"
    static let acceptedName = "llmdevops_sidecar_connections_accepted_total"
    static let refusedName = "llmdevops_sidecar_connections_rejected_total"

    let messages: CounterMetric
    let rejected: [SidecarRejection: CounterMetric]
    let connections: GaugeMetric
    let accepted: CounterMetric
    let refused: CounterMetric

    static func register(in registry: RegistryActor) async throws(MetricsError) -> SidecarSelfMetrics {
        let rejectedFamily = try await registry.makeCounterFamily(
            name: rejectedName,
            help: "Sidecar message lines refused, by reason; the connection stays open.",
            labelNames: ["reason"]
        )
        var rejected: [SidecarRejection: CounterMetric] = [:]
        for reason in SidecarRejection.allCases {
            rejected[reason] = try await rejectedFamily.labels(values: [reason.rawValue])
        }
        return SidecarSelfMetrics(
            messages: try await registry.makeCounter(
                name: messagesName,
                help: "Sidecar messages accepted and handed to the LLM or agent collector."
            ),
            rejected: rejected,
            connections: try await registry.makeGauge(
                name: connectionsName,
                help: "Sidecar client connections open now."
            ),
            accepted: try await registry.makeCounter(
                name: acceptedName,
                help: "Sidecar client connections accepted."
            ),
            refused: try await registry.makeCounter(
                name: refusedName,
                help: "Sidecar client connections refused because max_connections were open."
            )
        )
    }

    func reject(_ reason: SidecarRejection) {
        rejected[reason]?.increment()
    }

    /// Rejections so far, all reasons together.
    var rejectedTotal: Double {
        rejected.values.reduce(0) { $0 + $1.value }
    }
}
