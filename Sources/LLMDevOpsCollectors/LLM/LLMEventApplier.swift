import LLMDevOpsMetrics

/// Applies LLM events: resolves label values against the allow-list and closed enums, and
/// updates cached series handles. Immutable apart from its lock-free series caches, so producers
/// (``EventCollector/record(_:)``) and the consumer task apply events with it concurrently; an
/// event suspends only when one of its series is not cached yet.
final class LLMEventApplier: Sendable {
    private let models: LabelVocabulary
    /// The team allow-list of the cost metric; nil when it has no `team` label.
    private let teams: LabelVocabulary?
    /// Price by model index; nil for models without a price (and for `other`).
    private let prices: [LLMPrice?]
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

    private static let tokenTypes = ["input", "output"]
    private static let detailTypes = ["cache_read", "cache_write", "reasoning"]
    private static let outcomes = ["success", "error"]

    init(
        families: LLMMetricFamilies,
        models: LabelVocabulary,
        teams: LabelVocabulary? = nil,
        prices: [LLMPrice?],
        fallbackPairs: Set<Int>,
        overflow: OverflowCounter
    ) {
        self.models = models
        self.teams = teams
        self.prices = prices
        self.fallbackPairs = fallbackPairs
        self.overflow = overflow
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

    func apply(_ event: LLMEvent) async {
        switch event {
        case .requestStarted(let model):
            let m = await resolveModel(model, metric: LLMMetricFamilies.inFlight)
            await inFlight.series(m) { [models.label(m)] }?.increment()
        case .requestFinished(let completion):
            await finish(completion)
        case .retry(let model, let reason):
            let m = await resolveModel(model, metric: LLMMetricFamilies.retries)
            await retries.series(m * LLMRetryReason.caseCount + reason.ordinal) {
                [models.label(m), reason.rawValue]
            }?.increment()
        case .fallback(let from, let to, let outcome):
            await fallback(from: from, to: to, outcome: outcome)
        case .queueDuration(let model, let queued):
            guard let queueDuration else { return }
            let m = await resolveModel(model, metric: LLMMetricFamilies.queueDuration)
            await queueDuration.series(m) { [models.label(m)] }?.observe(queued.seconds)
        case .rateLimitRemaining(let model, let kind, let remaining):
            let m = await resolveModel(model, metric: LLMMetricFamilies.rateLimitRemaining)
            await rateLimitRemaining.series(m * LLMRateLimitKind.caseCount + kind.ordinal) {
                [models.label(m), kind.rawValue]
            }?.set(to: remaining)
        }
    }

    /// The hot path of `recordRequest`: about a dozen series updates through
    /// ``SeriesCache/update(_:_:_:)``, which neither retains the shared handles nor builds
    /// label values unless a series is new.
    private func finish(_ request: LLMRequestCompletion) async {
        let m = await resolveModel(request.model, metric: LLMMetricFamilies.requests)
        let models = self.models
        if request.wasStarted {
            await inFlight.update(m, { [models.label(m)] }) { $0.decrement() }
        }
        let status = request.status
        await requests.update(m * LLMRequestStatus.caseCount + status.ordinal, { [models.label(m), status.rawValue] }) {
            $0.increment()
        }

        let input = max(0, request.inputTokens)
        let output = max(0, request.outputTokens)
        await tokens.update(m * 2, { [models.label(m), "input"] }) { $0.increment(by: input) }
        await tokens.update(m * 2 + 1, { [models.label(m), "output"] }) { $0.increment(by: output) }
        await requestTokens.update(m * 2, { [models.label(m), "input"] }) { $0.observe(Double(input)) }
        await requestTokens.update(m * 2 + 1, { [models.label(m), "output"] }) { $0.observe(Double(output)) }

        // Details are subsets of the billable totals; clamp so L6 <= L2 holds per model.
        let cacheRead = min(max(0, request.cacheReadTokens), input)
        let cacheWrite = min(max(0, request.cacheWriteTokens), input - cacheRead)
        let reasoning = min(max(0, request.reasoningTokens), output)
        if cacheRead > 0 {
            await tokenDetails.update(m * 3, { [models.label(m), "cache_read"] }) { $0.increment(by: cacheRead) }
        }
        if cacheWrite > 0 {
            await tokenDetails.update(m * 3 + 1, { [models.label(m), "cache_write"] }) { $0.increment(by: cacheWrite) }
        }
        if reasoning > 0 {
            await tokenDetails.update(m * 3 + 2, { [models.label(m), "reasoning"] }) { $0.increment(by: reasoning) }
        }

        let succeeded = status == .success
        let seconds = request.duration.seconds
        let traceID = request.traceID
        await duration.update(m * 2 + (succeeded ? 0 : 1), { [models.label(m), succeeded ? "success" : "error"] }) {
            if let traceID {
                $0.observe(seconds, exemplar: ["trace_id": traceID])
            } else {
                $0.observe(seconds)
            }
        }

        if succeeded, let ttft = request.timeToFirstToken {
            let ttftSeconds = ttft.seconds
            await timeToFirstToken.update(m, { [models.label(m)] }) {
                if let traceID {
                    $0.observe(ttftSeconds, exemplar: ["trace_id": traceID])
                } else {
                    $0.observe(ttftSeconds)
                }
            }
            if output >= 2 {
                let perToken = max(0, seconds - ttftSeconds) / Double(output - 1)
                await timePerOutputToken.update(m, { [models.label(m)] }) { $0.observe(perToken) }
            }
        }

        if !succeeded {
            let errorType = request.errorType ?? Self.defaultErrorType(for: status)
            await errors.update(m * LLMErrorType.caseCount + errorType.ordinal, { [models.label(m), errorType.rawValue] }) {
                $0.increment()
            }
        }

        let reason = request.finishReason ?? Self.defaultFinishReason(for: status)
        await finishReasons.update(m * LLMFinishReason.caseCount + reason.ordinal, { [models.label(m), reason.rawValue] }) {
            $0.increment()
        }

        if let price = prices[m] {
            let dollars = price.cost(input: input, output: output, cacheRead: cacheRead, cacheWrite: cacheWrite)
            if dollars > 0 { await chargeCost(dollars, model: m, team: request.team) }
        }
    }

    private func fallback(from: String, to: String, outcome: LLMFallbackOutcome) async {
        var f = models.resolve(from)
        var t = models.resolve(to)
        if f.overflowed { await overflow.count(metric: LLMMetricFamilies.fallbacks, label: "from_model") }
        if t.overflowed { await overflow.count(metric: LLMMetricFamilies.fallbacks, label: "to_model") }
        if !fallbackPairs.contains(f.index * models.size + t.index) {
            // Not a configured chain edge: fold both ends so unplanned pairs cannot mint series.
            if !f.overflowed && !t.overflowed {
                await overflow.count(metric: LLMMetricFamilies.fallbacks, label: "from_model")
            }
            f.index = models.fallbackIndex
            t.index = models.fallbackIndex
        }
        let key = (f.index * models.size + t.index) * 2 + outcome.ordinal
        await fallbacks.series(key) { [models.label(f.index), models.label(t.index), outcome.rawValue] }?.increment()
    }

    /// L11: by model, and by team when a team allow-list is configured (no team: `other`; an
    /// unknown team: `other`, counted as overflow).
    private func chargeCost(_ dollars: Double, model m: Int, team: String?) async {
        let models = self.models
        guard let teams else {
            await cost.update(m, { [models.label(m)] }) { $0.increment(by: dollars) }
            return
        }
        let resolved = team.map(teams.resolve) ?? (index: teams.fallbackIndex, overflowed: false)
        if resolved.overflowed { await overflow.count(metric: LLMMetricFamilies.cost, label: "team") }
        await cost.update(m * teams.size + resolved.index, { [models.label(m), teams.label(resolved.index)] }) {
            $0.increment(by: dollars)
        }
    }

    private func resolveModel(_ name: String, metric: String) async -> Int {
        let resolved = models.resolve(name)
        if resolved.overflowed { await overflow.count(metric: metric, label: "model") }
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
