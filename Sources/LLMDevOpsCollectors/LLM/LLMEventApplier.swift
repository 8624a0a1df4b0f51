import LLMDevOpsMetrics

/// Applies LLM events for one vocabulary: resolves model names against the allow-list, aliases
/// and admitted names, and updates cached series handles. Immutable apart from its lock-free
/// series caches and admission table, so producers (``EventCollector/record(_:)``) and the
/// consumer task apply events with it concurrently, one synchronous ``ApplyPass`` per event in
/// the common case. A reload builds a new applier (``make(_:families:overflow:previous:)``) and
/// ``ApplierGenerations`` swaps it in.
final class LLMEventApplier: EventApplying {
    /// What decides the indices of the `model` and `team` labels: when a reload keeps it, the
    /// new applier shares the caches and the admitted names of the old one.
    struct Layout: Equatable {
        let models: [String]
        let aliases: [LLMModelAlias]
        let admitted: Int
        let teams: [String]

        init(_ configuration: LLMCollectorConfiguration) {
            models = configuration.models.map(\.name)
            aliases = configuration.aliases
            admitted = configuration.admitUnlistedModels
            teams = configuration.teams
        }
    }

    let layout: Layout
    private let models: LabelVocabulary
    /// The team allow-list of the cost metric; nil when it has no `team` label.
    private let teams: LabelVocabulary?
    /// Price by listed model index: the model's own price, else the price table's.
    private let listedPrices: [LLMPrice?]
    /// Prices of names that are not listed (admitted, or folded into `other`), by raw name.
    private let priceTable: [String: LLMPrice]
    /// Allowed fallback pairs as `from * models.size + to`.
    private let fallbackPairs: Set<Int>
    private let overflow: OverflowCounter

    private let requests: SeriesCache<CounterMetric>
    private let tokens: SeriesCache<CounterMetric>
    private let duration: SeriesCache<HistogramMetric>
    private let timeToFirstToken: SeriesCache<HistogramMetric>
    private let timePerOutputToken: SeriesCache<HistogramMetric>
    private let tokenDetails: SeriesCache<CounterMetric>
    private let requestTokens: SeriesCache<HistogramMetric>
    private let inFlight: SeriesCache<GaugeMetric>
    private let errors: SeriesCache<CounterMetric>
    private let finishReasons: SeriesCache<CounterMetric>
    private let cost: SeriesCache<CounterMetric>
    private let retries: SeriesCache<CounterMetric>
    private let fallbacks: SeriesCache<CounterMetric>
    private let queueDuration: SeriesCache<HistogramMetric>?
    private let rateLimitRemaining: SeriesCache<GaugeMetric>

    /// The applier for `configuration`. With a `previous` applier of the same ``Layout`` it
    /// shares its caches and admitted names; otherwise it starts new caches, and the names the
    /// previous applier admitted are admitted again first (in their order, up to the new cap;
    /// names now listed or aliased are skipped).
    static func make(
        _ configuration: LLMCollectorConfiguration,
        families: LLMMetricFamilies,
        overflow: OverflowCounter,
        previous: LLMEventApplier? = nil
    ) -> LLMEventApplier {
        let layout = Layout(configuration)
        if let previous, previous.layout == layout {
            return LLMEventApplier(configuration, layout: layout, overflow: overflow, sharing: previous)
        }
        let cap = configuration.admitUnlistedModels
        let models = LabelVocabulary(layout.models, fallback: "other", aliases: layout.aliases) { base, _ in
            cap > 0 ? LabelAdmission(base: base, capacity: cap, perScope: cap, fallback: "other") : nil
        }
        if let previous, let admission = models.admission {
            for (_, name) in previous.models.admission?.admitted ?? [] where models.listedIndex(name) == nil {
                _ = admission.admit(name)
            }
        }
        let teams = configuration.teams.isEmpty ? nil : LabelVocabulary(configuration.teams, fallback: "other")
        return LLMEventApplier(
            configuration,
            layout: layout,
            models: models,
            teams: teams,
            families: families,
            overflow: overflow
        )
    }

    private init(
        _ configuration: LLMCollectorConfiguration,
        layout: LLMEventApplier.Layout,
        models: LabelVocabulary,
        teams: LabelVocabulary?,
        families: LLMMetricFamilies,
        overflow: OverflowCounter
    ) {
        self.layout = layout
        self.models = models
        self.teams = teams
        self.overflow = overflow
        (listedPrices, priceTable, fallbackPairs) = Self.pricesAndPairs(configuration, models: models)
        let m = models.size
        requests = SeriesCache(families.requests, size: m * LLMRequestStatus.caseCount)
        tokens = SeriesCache(families.tokens, size: m * 2)
        duration = SeriesCache(families.duration, size: m * 2)
        timeToFirstToken = SeriesCache(families.timeToFirstToken, size: m)
        timePerOutputToken = SeriesCache(families.timePerOutputToken, size: m)
        tokenDetails = SeriesCache(families.tokenDetails, size: m * 3)
        requestTokens = SeriesCache(families.requestTokens, size: m * 2)
        inFlight = SeriesCache(families.inFlight, size: m)
        errors = SeriesCache(families.errors, size: m * LLMErrorType.caseCount)
        finishReasons = SeriesCache(families.finishReasons, size: m * LLMFinishReason.caseCount)
        cost = SeriesCache(families.cost, size: m * (teams?.size ?? 1))
        retries = SeriesCache(families.retries, size: m * LLMRetryReason.caseCount)
        fallbacks = SeriesCache(families.fallbacks, size: m * m * 2)
        queueDuration = families.queueDuration.map { SeriesCache($0, size: m) }
        rateLimitRemaining = SeriesCache(families.rateLimitRemaining, size: m * LLMRateLimitKind.caseCount)
    }

    /// Same layout: the previous applier's vocabulary objects and caches, new prices and chains.
    private init(
        _ configuration: LLMCollectorConfiguration,
        layout: LLMEventApplier.Layout,
        overflow: OverflowCounter,
        sharing previous: LLMEventApplier
    ) {
        self.layout = layout
        models = previous.models
        teams = previous.teams
        self.overflow = overflow
        (listedPrices, priceTable, fallbackPairs) = Self.pricesAndPairs(configuration, models: previous.models)
        requests = previous.requests
        tokens = previous.tokens
        duration = previous.duration
        timeToFirstToken = previous.timeToFirstToken
        timePerOutputToken = previous.timePerOutputToken
        tokenDetails = previous.tokenDetails
        requestTokens = previous.requestTokens
        inFlight = previous.inFlight
        errors = previous.errors
        finishReasons = previous.finishReasons
        cost = previous.cost
        retries = previous.retries
        fallbacks = previous.fallbacks
        queueDuration = previous.queueDuration
        rateLimitRemaining = previous.rateLimitRemaining
    }

    private static func pricesAndPairs(
        _ configuration: LLMCollectorConfiguration,
        models: LabelVocabulary
    ) -> ([LLMPrice?], [String: LLMPrice], Set<Int>) {
        // The first entry of a name wins (the configuration was validated: there is one).
        var byName: [String: LLMModel] = [:]
        for model in configuration.models where byName[model.name] == nil { byName[model.name] = model }
        let prices: [LLMPrice?] = models.values.map { name in
            let own: LLMPrice? = byName[name]?.price
            return own ?? configuration.prices[name]
        }
        var pairs = Set<Int>()
        for chain in configuration.fallbackChains {
            for (position, from) in chain.enumerated() {
                for to in chain.dropFirst(position + 1) {
                    let f = models.listedIndex(from) ?? models.fallbackIndex
                    let t = models.listedIndex(to) ?? models.fallbackIndex
                    pairs.insert(f * models.size + t)
                }
            }
        }
        return (prices, configuration.prices, pairs)
    }

    /// Names admitted at runtime so far, in order.
    var admittedModels: [String] {
        (models.admission?.admitted ?? []).map(\.name)
    }

    func apply(_ event: LLMEvent, from start: Int) -> ApplyMiss? {
        var pass = ApplyPass(from: start)
        switch event {
        case .requestStarted(let model):
            let m = resolveModel(model, metric: LLMMetricFamilies.inFlight, &pass)
            pass.update(inFlight, m, { [models.label(m)] }) { $0.increment() }
        case .requestFinished(let completion):
            finish(completion, &pass)
        case .retry(let model, let reason):
            let m = resolveModel(model, metric: LLMMetricFamilies.retries, &pass)
            pass.update(retries, m * LLMRetryReason.caseCount + reason.ordinal, { [models.label(m), reason.rawValue] })
            {
                $0.increment()
            }
        case .fallback(let from, let to, let outcome):
            fallback(from: from, to: to, outcome: outcome, &pass)
        case .queueDuration(let model, let queued):
            guard let queueDuration else { return nil }
            let m = resolveModel(model, metric: LLMMetricFamilies.queueDuration, &pass)
            pass.update(queueDuration, m, { [models.label(m)] }) { $0.observe(queued.seconds) }
        case .rateLimitRemaining(let model, let kind, let remaining):
            let m = resolveModel(model, metric: LLMMetricFamilies.rateLimitRemaining, &pass)
            pass.update(
                rateLimitRemaining,
                m * LLMRateLimitKind.caseCount + kind.ordinal,
                { [models.label(m), kind.rawValue] }
            ) { $0.set(to: remaining) }
        }
        return pass.miss
    }

    /// The hot path of `recordRequest`: about a dozen series updates, none of which retains
    /// the shared handles or builds label values unless a series is new.
    private func finish(_ request: LLMRequestCompletion, _ pass: inout ApplyPass) {
        let m = resolveModel(request.model, metric: LLMMetricFamilies.requests, &pass)
        if request.wasStarted {
            pass.update(inFlight, m, { [models.label(m)] }) { $0.decrement() }
        }
        let status = request.status
        pass.update(requests, m * LLMRequestStatus.caseCount + status.ordinal, { [models.label(m), status.rawValue] }) {
            $0.increment()
        }

        let input = max(0, request.inputTokens)
        let output = max(0, request.outputTokens)
        pass.update(tokens, m * 2, { [models.label(m), "input"] }) { $0.increment(by: input) }
        pass.update(tokens, m * 2 + 1, { [models.label(m), "output"] }) { $0.increment(by: output) }
        pass.update(requestTokens, m * 2, { [models.label(m), "input"] }) { $0.observe(Double(input)) }
        pass.update(requestTokens, m * 2 + 1, { [models.label(m), "output"] }) { $0.observe(Double(output)) }

        // Details are subsets of the billable totals; clamp so L6 <= L2 holds per model.
        let cacheRead = min(max(0, request.cacheReadTokens), input)
        let cacheWrite = min(max(0, request.cacheWriteTokens), input - cacheRead)
        let reasoning = min(max(0, request.reasoningTokens), output)
        if cacheRead > 0 {
            pass.update(tokenDetails, m * 3, { [models.label(m), "cache_read"] }) { $0.increment(by: cacheRead) }
        }
        if cacheWrite > 0 {
            pass.update(tokenDetails, m * 3 + 1, { [models.label(m), "cache_write"] }) { $0.increment(by: cacheWrite) }
        }
        if reasoning > 0 {
            pass.update(tokenDetails, m * 3 + 2, { [models.label(m), "reasoning"] }) { $0.increment(by: reasoning) }
        }

        let succeeded = status == .success
        let seconds = request.duration.seconds
        let traceID = request.traceID
        pass.update(duration, m * 2 + (succeeded ? 0 : 1), { [models.label(m), succeeded ? "success" : "error"] }) {
            if let traceID {
                $0.observe(seconds, exemplar: ["trace_id": traceID])
            } else {
                $0.observe(seconds)
            }
        }

        if succeeded, let ttft = request.timeToFirstToken {
            let ttftSeconds = ttft.seconds
            pass.update(timeToFirstToken, m, { [models.label(m)] }) {
                if let traceID {
                    $0.observe(ttftSeconds, exemplar: ["trace_id": traceID])
                } else {
                    $0.observe(ttftSeconds)
                }
            }
            if output >= 2 {
                let perToken = max(0, seconds - ttftSeconds) / Double(output - 1)
                pass.update(timePerOutputToken, m, { [models.label(m)] }) { $0.observe(perToken) }
            }
        }

        if !succeeded {
            let errorType = request.errorType ?? Self.defaultErrorType(for: status)
            pass.update(
                errors,
                m * LLMErrorType.caseCount + errorType.ordinal,
                { [models.label(m), errorType.rawValue] }
            ) {
                $0.increment()
            }
        }

        let reason = request.finishReason ?? Self.defaultFinishReason(for: status)
        pass.update(
            finishReasons,
            m * LLMFinishReason.caseCount + reason.ordinal,
            { [models.label(m), reason.rawValue] }
        ) { $0.increment() }

        if let price = m < listedPrices.count ? listedPrices[m] : priceTable[request.model] {
            let dollars = price.cost(input: input, output: output, cacheRead: cacheRead, cacheWrite: cacheWrite)
            if dollars > 0 { chargeCost(dollars, model: m, team: request.team, &pass) }
        }
    }

    private func fallback(from: String, to: String, outcome: LLMFallbackOutcome, _ pass: inout ApplyPass) {
        var f = models.resolve(from)
        var t = models.resolve(to)
        if f.overflowed { pass.countOverflow(overflow, metric: LLMMetricFamilies.fallbacks, label: "from_model") }
        if t.overflowed { pass.countOverflow(overflow, metric: LLMMetricFamilies.fallbacks, label: "to_model") }
        if !fallbackPairs.contains(f.index * models.size + t.index) {
            // Not a configured chain edge: fold both ends so unplanned pairs cannot mint series.
            if !f.overflowed && !t.overflowed {
                pass.countOverflow(overflow, metric: LLMMetricFamilies.fallbacks, label: "from_model")
            }
            f.index = models.fallbackIndex
            t.index = models.fallbackIndex
        }
        let key = (f.index * models.size + t.index) * 2 + outcome.ordinal
        pass.update(fallbacks, key, { [models.label(f.index), models.label(t.index), outcome.rawValue] }) {
            $0.increment()
        }
    }

    /// The cost: by model, and by team when a team allow-list is configured (no team: `other`; an
    /// unknown team: `other`, counted as overflow).
    private func chargeCost(_ dollars: Double, model m: Int, team: String?, _ pass: inout ApplyPass) {
        guard let teams else {
            pass.update(cost, m, { [models.label(m)] }) { $0.increment(by: dollars) }
            return
        }
        let resolved = team.map(teams.resolve) ?? (index: teams.fallbackIndex, overflowed: false)
        if resolved.overflowed { pass.countOverflow(overflow, metric: LLMMetricFamilies.cost, label: "team") }
        pass.update(cost, m * teams.size + resolved.index, { [models.label(m), teams.label(resolved.index)] }) {
            $0.increment(by: dollars)
        }
    }

    @inline(__always)
    private func resolveModel(_ name: String, metric: String, _ pass: inout ApplyPass) -> Int {
        let resolved = models.resolve(name)
        if resolved.overflowed { pass.countOverflow(overflow, metric: metric, label: "model") }
        return resolved.index
    }

    static func defaultErrorType(for status: LLMRequestStatus) -> LLMErrorType {
        switch status {
        case .rateLimited: .rateLimited
        case .timeout: .timeout
        case .cancelled: .cancelled
        case .error, .success: .other
        }
    }

    static func defaultFinishReason(for status: LLMRequestStatus) -> LLMFinishReason {
        switch status {
        case .success: .other
        case .cancelled: .abort
        case .error, .timeout, .rateLimited: .error
        }
    }
}
