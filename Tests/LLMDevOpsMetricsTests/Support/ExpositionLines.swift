import LLMDevOpsMetrics

/// The lines of a rendered body, for exact-line checks.
func renderLines(_ registry: RegistryActor, _ format: ExpositionFormat = .prometheusText) async -> [String] {
    String(decoding: await registry.render(format), as: UTF8.self).split(separator: "\n").map(String.init)
}
