import LLMDevOpsMetrics
import Logging
import Synchronization

extension MetricsCollectors {
    /// Applies the label vocabulary of `configuration` to the running collectors, without a
    /// restart: the model allow-list, aliases, prices and price table, fallback chains, teams,
    /// agents and their tools, guardrails, caps and admission limits.
    ///
    /// ```swift
    /// var next = metrics.configuration
    /// let price = LLMPrice(inputPerMillion: 2, outputPerMillion: 8)
    /// next.llm.models.append(LLMModel("o3", provider: "openai", price: price))
    /// let restartRequired = try await metrics.reload(next)   // [] : everything applied
    /// ```
    ///
    /// What a reload does and does not do:
    /// - Series that exist keep their values; nothing is removed or reset. A model (agent,
    ///   tool, team, guardrail) added gets its own series from the next event on, and an added
    ///   model's `llmdevops_llm_model_info` series appears at once. Events for a removed name
    ///   fold into `other` (`_unknown`) and are counted as overflow; its series keep their last
    ///   values (and its info series stays). A model whose provider or family changed gets a
    ///   new info series in place of the old one.
    /// - Prices apply to events applied after the reload; an event being applied while the
    ///   reload happens is applied whole with either the old or the new vocabulary.
    /// - Names admitted at runtime carry over (in their order, counted against the new caps;
    ///   names now listed or aliased are dropped from the admitted ones).
    /// - A request or execution in flight across a reload that changes its model or agent's
    ///   label is started under one label and finished under the other, so the two in-flight
    ///   gauges are off by one each until a restart.
    /// - Changes that would alter a family's label names or the set of registered families are
    ///   not applied and are returned instead (nothing else is held back): `llm.isEnabled`,
    ///   `agent.isEnabled`, `llm.exportsQueueDuration`, `llm.teams` when it goes from empty to
    ///   non-empty or back, `eventBufferSize`, `maxSeriesPerMetric`, `process.isEnabled`,
    ///   `runtime.isEnabled` and `nativeHistograms`; the other settings (registry, swift-metrics,
    ///   `procRoot`) are fixed at creation and ignored. After 100 vocabulary
    ///   changes of a collector, further ones return `llm` or `agent` (restart to apply): every
    ///   superseded applier is kept so that producers can read the current one without
    ///   reference counting.
    ///
    /// Reloads run one at a time. ``configuration`` reflects what was applied.
    ///
    /// - Returns: The settings that differ but need a restart, as key paths of
    ///   ``CollectorsConfiguration`` (empty when everything was applied).
    /// - Throws: ``CollectorsError/Code/invalidConfiguration`` for an invalid configuration;
    ///   nothing changes then.
    @discardableResult
    public func reload(_ configuration: CollectorsConfiguration) async throws(CollectorsError) -> [String] {
        try configuration.validate()
        return await reloading.run { await self.apply(configuration) }
    }

    private func apply(_ new: CollectorsConfiguration) async -> [String] {
        let old = configuration
        var restart = Self.keysNeedingRestart(from: old, to: new)
        var applied = old
        if let llmState, old.llm.isEnabled {
            var llm = new.llm
            llm.isEnabled = old.llm.isEnabled
            llm.exportsQueueDuration = old.llm.exportsQueueDuration
            if old.llm.teams.isEmpty != llm.teams.isEmpty { llm.teams = old.llm.teams }
            if llm != old.llm {
                if await applyLLM(llm, previous: old.llm, state: llmState) {
                    applied.llm = llm
                } else {
                    restart.append("llm")
                }
            }
        }
        if let agentState, old.agent.isEnabled {
            var agent = new.agent
            agent.isEnabled = old.agent.isEnabled
            if agent != old.agent {
                if applyAgent(agent, previous: old.agent, state: agentState) {
                    applied.agent = agent
                } else {
                    restart.append("agent")
                }
            }
        }
        current.withLock { $0 = applied }
        if applied.llm != old.llm || applied.agent != old.agent {
            logger?.debug(
                "collectors vocabulary reloaded",
                metadata: [
                    "llmdevops.llm.models": "\(applied.llm.models.count)",
                    "llmdevops.agent.agents": "\(applied.agent.agents.count)",
                ]
            )
        }
        return restart
    }

    /// Swaps in the LLM applier for `llm`; false when the generation limit is reached.
    private func applyLLM(_ llm: LLMCollectorConfiguration, previous: LLMCollectorConfiguration, state: LLMState) async
        -> Bool
    {
        // Reloads run one at a time, so nothing can take the last generation between here and replace.
        guard state.generations.count < ApplierGenerations<LLMEventApplier>.maxGenerations else { return false }
        let info = state.families.modelInfo
        // Info series first, so a scrape that shows an added model's first events shows its info too.
        for model in llm.models {
            _ = try? await info.labels(["model": model.name, "provider": model.provider, "family": model.family])
        }
        let next = LLMEventApplier.make(
            llm,
            families: state.families,
            overflow: state.overflow,
            previous: state.generations.applier
        )
        guard state.generations.replace(with: next) else { return false }
        let updated = Dictionary(llm.models.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for model in previous.models {
            guard let now = updated[model.name], now.provider != model.provider || now.family != model.family else {
                continue
            }
            _ = try? await info.remove(["model": model.name, "provider": model.provider, "family": model.family])
        }
        return true
    }

    /// Swaps in the agent applier for `agent` when its layout changed; false when the
    /// generation limit is reached.
    private func applyAgent(
        _ agent: AgentCollectorConfiguration,
        previous: AgentCollectorConfiguration,
        state: AgentState
    ) -> Bool {
        guard AgentEventApplier.Layout(agent) != AgentEventApplier.Layout(previous) else { return true }
        let next = AgentEventApplier.make(
            agent,
            families: state.families,
            overflow: state.overflow,
            previous: state.generations.applier
        )
        return state.generations.replace(with: next)
    }

    /// The settings that differ between `old` and `new` and cannot change while running.
    static func keysNeedingRestart(from old: CollectorsConfiguration, to new: CollectorsConfiguration) -> [String] {
        var keys: [String] = []
        if old.llm.isEnabled != new.llm.isEnabled { keys.append("llm.isEnabled") }
        if old.agent.isEnabled != new.agent.isEnabled { keys.append("agent.isEnabled") }
        if old.llm.isEnabled && new.llm.isEnabled {
            if old.llm.exportsQueueDuration != new.llm.exportsQueueDuration { keys.append("llm.exportsQueueDuration") }
            if old.llm.teams.isEmpty != new.llm.teams.isEmpty { keys.append("llm.teams") }
        }
        if old.eventBufferSize != new.eventBufferSize { keys.append("eventBufferSize") }
        if old.maxSeriesPerMetric != new.maxSeriesPerMetric { keys.append("maxSeriesPerMetric") }
        if old.process.isEnabled != new.process.isEnabled { keys.append("process.isEnabled") }
        if old.runtime.isEnabled != new.runtime.isEnabled { keys.append("runtime.isEnabled") }
        if old.nativeHistograms != new.nativeHistograms { keys.append("nativeHistograms") }
        return keys
    }
}
