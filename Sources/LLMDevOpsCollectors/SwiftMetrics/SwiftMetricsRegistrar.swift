import LLMDevOpsMetrics
import Logging

/// The swift-metrics factory's registration consumer: creates families and series in the
/// registry for new handlers, attaches them, and removes destroyed ones. Owned by the task in
/// ``RegistryMetricsFactory/run()``.
final class SwiftMetricsRegistrar {
    private enum Family {
        case counter(CounterFamily)
        case gauge(GaugeFamily)
        case histogram(HistogramFamily)
    }

    private struct Entry {
        let family: Family
        let labelNames: [String]
    }

    static let problemsName = "llmdevops_swift_metrics_problems_total"

    private let factory: RegistryMetricsFactory
    private var families: [String: Entry] = [:]
    private var problems: CounterFamily?
    private var warned = Set<String>()

    init(factory: RegistryMetricsFactory) {
        self.factory = factory
    }

    func apply(_ registration: RegistryMetricsFactory.Registration) async {
        switch registration {
        case .counter(let handler):
            guard let resolved = await resolve(handler.key), case .counter(let family) = resolved.entry.family,
                let series = try? await family.labels(values: resolved.values)
            else { return await reject(handler.key) { handler.detach() } }
            handler.attach(series)
        case .gauge(let handler):
            guard let resolved = await resolve(handler.key), case .gauge(let family) = resolved.entry.family,
                let series = try? await family.labels(values: resolved.values)
            else { return await reject(handler.key) { handler.detach() } }
            handler.attach(series)
        case .histogram(let handler):
            guard let resolved = await resolve(handler.key), case .histogram(let family) = resolved.entry.family,
                let series = try? await family.labels(values: resolved.values)
            else { return await reject(handler.key) { handler.detach() } }
            let dropped = handler.attach(series)
            if dropped > 0 { await countProblem("pending_overflow", by: dropped) }
        case .destroy(let key):
            guard let entry = families[key.name] else { return }
            let values = map(key, onto: entry.labelNames).values
            let labels = Dictionary(uniqueKeysWithValues: zip(entry.labelNames, values))
            switch entry.family {
            case .counter(let family): _ = try? await family.remove(labels)
            case .gauge(let family): _ = try? await family.remove(labels)
            case .histogram(let family): _ = try? await family.remove(labels)
            }
        case .flush(let done):
            done.resume()
        }
    }

    /// The family for the key's name (registered on first use) and the key's label values in
    /// the family's label order; nil when the registry refused the family or the kinds clash.
    private func resolve(_ key: SwiftMetricsKey) async -> (entry: Entry, values: [String])? {
        let entry: Entry
        if let existing = families[key.name] {
            entry = existing
        } else {
            guard let registered = await register(key) else { return nil }
            families[key.name] = registered
            entry = registered
        }
        let (values, mismatched) = map(key, onto: entry.labelNames)
        if mismatched {
            await countProblem("dimension_mismatch")
            warnOnce(key.name, "swift-metrics dimensions differ from the first set seen under this label; missing ones are exported empty, extra ones dropped", key)
        }
        return (entry, values)
    }

    private func register(_ key: SwiftMetricsKey) async -> Entry? {
        let registry = factory.registry
        // Dimension values are free-form strings from the instrumented libraries.
        let options = FamilyOptions(screensLabelValues: factory.configuration.screensLabelValues)
        do {
            switch key.kind {
            case .counter:
                let family = try await registry.makeCounterFamily(
                    name: key.name, help: "Counter recorded through swift-metrics.", labelNames: key.labelNames, options: options)
                return Entry(family: .counter(family), labelNames: key.labelNames)
            case .gauge:
                let family = try await registry.makeGaugeFamily(
                    name: key.name, help: "Meter or Recorder recorded through swift-metrics.", labelNames: key.labelNames, options: options)
                return Entry(family: .gauge(family), labelNames: key.labelNames)
            case .timer:
                let family = try await registry.makeHistogramFamily(
                    name: key.name, help: "Timer recorded through swift-metrics, in seconds.", unit: "seconds",
                    labelNames: key.labelNames, buckets: factory.buckets(for: key), options: options)
                return Entry(family: .histogram(family), labelNames: key.labelNames)
            case .histogram:
                let family = try await registry.makeHistogramFamily(
                    name: key.name, help: "Aggregating Recorder recorded through swift-metrics.",
                    labelNames: key.labelNames, buckets: factory.buckets(for: key), options: options)
                return Entry(family: .histogram(family), labelNames: key.labelNames)
            }
        } catch {
            factory.logger?.warning(
                "swift-metrics metric refused by the registry",
                metadata: ["llmdevops.metric": "\(key.name)", "llmdevops.error": "\(error)"])
            return nil
        }
    }

    /// The key's values for `names`: missing dimensions are empty, extra ones are dropped.
    private func map(_ key: SwiftMetricsKey, onto names: [String]) -> (values: [String], mismatched: Bool) {
        if key.labelNames == names { return (key.labelValues, false) }
        var byName: [String: String] = [:]
        for (name, value) in zip(key.labelNames, key.labelValues) { byName[name] = value }
        return (names.map { byName[$0] ?? "" }, true)
    }

    private func reject(_ key: SwiftMetricsKey, detach: () -> Void) async {
        detach()
        await countProblem("registration_failed")
    }

    private func countProblem(_ reason: String, by amount: Int = 1) async {
        if problems == nil {
            problems = try? await factory.registry.makeCounterFamily(
                name: Self.problemsName,
                help: "swift-metrics handlers that could not be mapped cleanly: dimension_mismatch (exported with adjusted labels), registration_failed (name or type clash; values dropped), pending_overflow (observations dropped before the series existed).",
                labelNames: ["reason"])
        }
        try? await problems?.labels(values: [reason]).increment(by: amount)
    }

    private func warnOnce(_ name: String, _ message: Logger.Message, _ key: SwiftMetricsKey) {
        guard warned.insert(name).inserted else { return }
        factory.logger?.warning(
            message, metadata: ["llmdevops.metric": "\(name)", "llmdevops.dimensions": "\(key.labelNames)"])
    }
}
