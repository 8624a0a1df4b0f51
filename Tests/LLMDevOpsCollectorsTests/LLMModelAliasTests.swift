import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

/// Aliases fold provider names onto listed models (listed names, then exact aliases, then
/// patterns in order); the price table prices listed models without a price, admitted names
/// and names folded into `other`.
@Suite struct LLMModelAliasTests {
    static let requests = "llmdevops_llm_requests_total"
    static let cost = "llmdevops_llm_cost_usd_total"

    static func configuration() -> CollectorsConfiguration {
        var configuration = eventOnlyConfiguration(models: [])
        configuration.llm.models = [
            LLMModel("gpt-4o", provider: "openai", price: LLMPrice(inputPerMillion: 2.5, outputPerMillion: 10)),
            LLMModel("gpt-4o-mini", provider: "openai"),
        ]
        configuration.llm.aliases = [
            LLMModelAlias("gpt-4o-mini-*", model: "gpt-4o-mini"),
            LLMModelAlias("gpt-4o-*", model: "gpt-4o"),
            LLMModelAlias("*-latest", model: "gpt-4o-mini"),
            LLMModelAlias("chatgpt-4o-latest", model: "gpt-4o"),
        ]
        configuration.llm.prices = [
            "gpt-4o-mini": LLMPrice(inputPerMillion: 0.15, outputPerMillion: 0.6, cacheReadPerMillion: 0.075),
            "gpt-4o": LLMPrice(inputPerMillion: 100, outputPerMillion: 100),  // the explicit price wins
            "unlisted-priced": LLMPrice(inputPerMillion: 7, outputPerMillion: 11),
        ]
        return configuration
    }

    @Test(arguments: [
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),  // the more specific pattern comes first
        ("chatgpt-4o-latest", "gpt-4o"),  // exact aliases before patterns
        ("o-latest", "gpt-4o-mini"),
        ("gpt-4o-mini", "gpt-4o-mini"),  // listed names first
        ("gpt-4o-", "other"),  // `*` stands for at least one character
        ("-latest", "other"),
        ("GPT-4O-2024-08-06", "other"),  // case-sensitive
    ])
    func aliasesFoldWithTheDocumentedPrecedence(name: String, label: String) async throws {
        let exposition = try await withRunningCollectors(Self.configuration()) { metrics in
            await metrics.llm.recordRequest(model: name, status: .success, duration: .milliseconds(1))
            await metrics.flush()
            return try await metrics.registry.parsedExposition()
        }
        #expect(exposition.labelValues(Self.requests, "model") == [label])
        let overflow = exposition.value(
            "llmdevops_collector_label_overflow_total",
            ["metric": Self.requests, "label": "model"]
        )
        #expect(overflow == (label == "other" ? 1 : 0))
    }

    @Test func costsComeFromTheModelsPriceOrThePriceTable() async throws {
        var configuration = Self.configuration()
        configuration.llm.admitUnlistedModels = 1
        let exposition = try await withRunningCollectors(configuration) { metrics in
            // Alias of gpt-4o: gpt-4o's explicit price (2.5 / 10), not the table's 100 / 100.
            await metrics.llm.recordRequest(
                model: "gpt-4o-2024-08-06",
                status: .success,
                duration: .milliseconds(1),
                inputTokens: 1000,
                outputTokens: 200
            )
            // Listed without a price: the table's, cache reads at 0.075.
            await metrics.llm.recordRequest(
                model: "gpt-4o-mini-2024-07-18",
                status: .success,
                duration: .milliseconds(1),
                inputTokens: 4000,
                outputTokens: 500,
                cacheReadTokens: 3000
            )
            // Admitted (the first unlisted name) and in the table.
            await metrics.llm.recordRequest(
                model: "unlisted-priced",
                status: .success,
                duration: .milliseconds(1),
                inputTokens: 100,
                outputTokens: 10
            )
            // Folded into other (the cap is reached) and in the table: charged to other.
            await metrics.llm.recordRequest(
                model: "another-unlisted",
                status: .success,
                duration: .milliseconds(1),
                inputTokens: 5,
                outputTokens: 5
            )
            await metrics.llm.recordRequest(
                model: "unlisted-priced-too",
                status: .success,
                duration: .milliseconds(1),
                inputTokens: 5,
                outputTokens: 5
            )
            await metrics.flush()
            return try await metrics.registry.parsedExposition()
        }
        let gpt4o: Double = (1000 * 2.5 + 200 * 10) / 1e6
        #expect(exposition.value(Self.cost, ["model": "gpt-4o"]) == gpt4o)
        let mini: Double = (1000 * 0.15 + 3000 * 0.075 + 500 * 0.6) / 1e6
        #expect(abs(exposition.value(Self.cost, ["model": "gpt-4o-mini"]) - mini) <= 1e-12 * mini)
        let unlisted: Double = (100 * 7 + 10 * 11) / 1e6
        #expect(exposition.value(Self.cost, ["model": "unlisted-priced"]) == unlisted)
        // Neither folded name is in the table: other has no cost series.
        #expect(exposition.sample(named: Self.cost, labels: ["model": "other"]) == nil)
        #expect(exposition.value(Self.requests, ["model": "other", "status": "success"]) == 2)
    }

    @Test func unlistedNamesInThePriceTableAreChargedToOther() async throws {
        let exposition = try await withRunningCollectors(Self.configuration()) { metrics in
            await metrics.llm.recordRequest(
                model: "unlisted-priced",
                status: .success,
                duration: .milliseconds(1),
                inputTokens: 100,
                outputTokens: 10
            )
            await metrics.flush()
            return try await metrics.registry.parsedExposition()
        }
        let dollars: Double = (100 * 7 + 10 * 11) / 1e6
        #expect(exposition.value(Self.cost, ["model": "other"]) == dollars)
    }

    @Test(arguments: [
        (LLMModelAlias("gpt-*-*", model: "gpt-4o"), "llm.aliases[0].pattern"),
        (LLMModelAlias("gpt*4o", model: "gpt-4o"), "llm.aliases[0].pattern"),
        (LLMModelAlias("*", model: "gpt-4o"), "llm.aliases[0].pattern"),
        (LLMModelAlias("", model: "gpt-4o"), "llm.aliases[0].pattern"),
        (LLMModelAlias("gpt-4o-mini", model: "gpt-4o"), "llm.aliases[0].pattern"),  // a listed name
        (LLMModelAlias("gpt-5-*", model: "gpt-5"), "llm.aliases[0].model"),  // not listed
    ])
    func invalidAliasesNameTheirKey(alias: LLMModelAlias, key: String) {
        var configuration = Self.configuration()
        configuration.llm.aliases = [alias]
        do {
            try configuration.validate()
            Issue.record("expected \(alias) to be refused")
        } catch {
            #expect(error.key == key, "\(error)")
        }
    }

    @Test func negativeTablePricesAreRefused() {
        var configuration = Self.configuration()
        configuration.llm.prices["bad"] = LLMPrice(inputPerMillion: -1, outputPerMillion: 1)
        #expect(throws: CollectorsError.self) { try configuration.validate() }
    }
}
