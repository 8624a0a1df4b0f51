import Foundation
import LLMDevOpsCollectors
import LLMDevOpsMetricsServer
import Testing

/// `prometheus_metrics.llm` and `.agent` (issue 12): the issue's shape, every error naming its
/// key path and line, the price table file, and the shipped examples.
@Suite struct VocabularyConfigurationTests {
    static var packageRoot: URL { ConfigurationTests.packageRoot }

    /// The shape of the issue, with a price table beside it.
    static let issueShape = """
        prometheus_metrics:
          llm:
            models:
              - name: "gpt-4o"
                provider: "openai"
                family: "gpt-4o"
                price: { input_per_million: 2.5, output_per_million: 10.0,
                         cache_read_per_million: 1.25, cache_write_per_million: 0 }
              - { name: "claude-sonnet-4-5", provider: "anthropic" }
            aliases:
              - { pattern: "gpt-4o-*", model: "gpt-4o" }
            prices_file: "prices.yaml"
            fallback_chains: [["gpt-4o", "claude-sonnet-4-5"]]
            teams: []
            max_models: 100
            admit_unlisted_models: 0
            export_queue_duration: false
          agent:
            agents:
              - { name: "support-router", tools: ["search_docs", "create_ticket"] }
            guardrails: ["pii_filter"]
            max_agents: 200
            max_tools_per_agent: 30
            admit_unlisted_agents: 0
            admit_unlisted_tools: 0
        """

    static let priceTable = """
        prices:
          claude-sonnet-4-5: { input_per_million: 3, output_per_million: 15, cache_read_per_million: 0.3,
                               cache_write_per_million: 3.75, source: "https://example.invalid", as_of: "2026-12-03" }
          gpt-4o: { input_per_million: 99, output_per_million: 99 }
        """

    @Test func theIssueShapeLoads() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("prices.yaml", Self.priceTable)
        let path = try directory.write("service.yaml", Self.issueShape)
        let configuration = try ServiceConfigurationLoader().load(path: path)
        let llm = configuration.llm
        #expect(
            llm.models == [
                LLMModel(
                    "gpt-4o",
                    provider: "openai",
                    family: "gpt-4o",
                    price: LLMPrice(
                        inputPerMillion: 2.5,
                        outputPerMillion: 10,
                        cacheReadPerMillion: 1.25,
                        cacheWritePerMillion: 0
                    )
                ),
                LLMModel("claude-sonnet-4-5", provider: "anthropic"),
            ]
        )
        #expect(llm.aliases == [LLMModelAlias("gpt-4o-*", model: "gpt-4o")])
        #expect(
            llm.prices == [
                "claude-sonnet-4-5": LLMPrice(
                    inputPerMillion: 3,
                    outputPerMillion: 15,
                    cacheReadPerMillion: 0.3,
                    cacheWritePerMillion: 3.75
                ),
                "gpt-4o": LLMPrice(inputPerMillion: 99, outputPerMillion: 99),
            ]
        )
        #expect(llm.fallbackChains == [["gpt-4o", "claude-sonnet-4-5"]])
        #expect(llm.teams.isEmpty && llm.maxModels == 100 && llm.admitUnlistedModels == 0 && !llm.exportsQueueDuration)
        #expect(
            configuration.agent.agents == [AgentDefinition("support-router", tools: ["search_docs", "create_ticket"])]
        )
        #expect(configuration.agent.guardrails == ["pii_filter"])
        #expect(configuration.agent.maxAgents == 200 && configuration.agent.maxToolsPerAgent == 30)
        // The collectors built from it accept it as well.
        let collectors = configuration.applyingCollectorSettings(to: CollectorsConfiguration())
        try collectors.validate()
        #expect(collectors.llm.models.count == 2)
    }

    @Test func scalarKeysHaveEnvironmentOverrides() throws {
        let loader = ServiceConfigurationLoader(environment: [
            "PROMETHEUS_METRICS_LLM_ADMIT_UNLISTED_MODELS": "25",
            "PROMETHEUS_METRICS_AGENT_ADMIT_UNLISTED_TOOLS": "3",
        ])
        let configuration = try loader.parse(yaml: "prometheus_metrics:\n  llm: { max_models: 5 }\n")
        #expect(configuration.llm.admitUnlistedModels == 25)
        #expect(configuration.llm.maxModels == 5)
        #expect(configuration.agent.admitUnlistedTools == 3)
    }

    @Test func collectorsSwitchedOffStillValidateTheirVocabulary() {
        let yaml =
            "prometheus_metrics:\n  collectors: { llm: false }\n  llm:\n    models: [{ name: other, provider: x }]\n"
        let error = #expect(throws: ConfigurationError.self) { try ServiceConfigurationLoader().parse(yaml: yaml) }
        #expect(error?.key == "prometheus_metrics.llm.models[0].name")
    }

    /// Each bad key: its full path, the reason, and the line.
    @Test(
        arguments: [
            (
                "llm:\n    models:\n      - { name: a, provider: x }\n"
                    + "      - { name: b, provider: x, price: { input_per_million: -1, output_per_million: 1 } }",
                "prometheus_metrics.llm.models[1].price.input_per_million", "must not be negative, got -1 (line 5)"
            ),
            (
                "llm:\n    models:\n      - { name: a, provider: x, price: { input_per_million: 1 } }",
                "prometheus_metrics.llm.models[0].price.output_per_million", "required (line 4)"
            ),
            (
                "llm:\n    models:\n"
                    + "      - { name: a, provider: x, price: { input_per_million: cheap, output_per_million: 1 } }",
                "prometheus_metrics.llm.models[0].price.input_per_million", "expected a number, got 'cheap' (line 4)"
            ),
            (
                "llm:\n    models:\n      - { name: a }", "prometheus_metrics.llm.models[0].provider",
                "required (line 4)"
            ),
            (
                "llm:\n    models:\n      - { name: a, provider: x, colour: red }",
                "prometheus_metrics.llm.models[0].colour", "unknown key (line 4)"
            ),
            (
                "llm:\n    models:\n      - { name: a, provider: x }\n      - { name: a, provider: y }",
                "prometheus_metrics.llm.models[1].name", "listed twice (line 5)"
            ),
            (
                "llm:\n    models:\n      - { name: other, provider: x }", "prometheus_metrics.llm.models[0].name",
                "allow-list (line 4)"
            ),
            (
                "llm:\n    models:\n      - { name: \"sk-proj-Q3vN8xT2LmZ0pR7aW4kY1bC6dE9fG5hJ\", provider: x }",
                "prometheus_metrics.llm.models[0].name", "looks like a secret"
            ),
            (
                "llm:\n    models: { name: a }", "prometheus_metrics.llm.models",
                "expected a list, got a mapping (line 3)"
            ),
            (
                "llm:\n    models: [{ name: a, provider: x }]\n    aliases:\n      - { pattern: \"a-*-b\", model: a }",
                "prometheus_metrics.llm.aliases[0].pattern", "single * at its start or its end (line 5)"
            ),
            (
                "llm:\n    models: [{ name: a, provider: x }]\n    aliases:\n      - { pattern: \"b-*\", model: b }",
                "prometheus_metrics.llm.aliases[0].model", "'b' is not in llm.models (line 5)"
            ),
            (
                "llm:\n    models: [{ name: a, provider: x }]\n    fallback_chains: [[a, z]]",
                "prometheus_metrics.llm.fallback_chains[0][1]", "'z' is not in llm.models (line 4)"
            ),
            (
                "llm:\n    models: [{ name: a, provider: x }, { name: b, provider: x }]\n    max_models: 1",
                "prometheus_metrics.llm.models", "exceed the cap of 1 (line 3)"
            ),
            ("llm:\n    teams: [search, other]", "prometheus_metrics.llm.teams[1]", "allow-list (line 3)"),
            (
                "llm:\n    admit_unlisted_models: 1001", "prometheus_metrics.llm.admit_unlisted_models",
                "between 0 and 1000, got 1001 (line 3)"
            ),
            ("llm:\n    prices_file: missing.yaml", "prometheus_metrics.llm.prices_file", "no such file"),
            ("llm:\n    modles: []", "prometheus_metrics.llm.modles", "unknown key (line 3)"),
            (
                "agent:\n    agents:\n      - { name: router, tools: [search, _unknown] }",
                "prometheus_metrics.agent.agents[0].tools[1]", "allow-list (line 4)"
            ),
            (
                "agent:\n    agents:\n      - { tools: [search] }", "prometheus_metrics.agent.agents[0].name",
                "required (line 4)"
            ),
            (
                "agent:\n    agents:\n      - { name: \"oncall.person@example.com\" }",
                "prometheus_metrics.agent.agents[0].name", "looks like a secret"
            ),
            (
                "agent:\n    max_tools_per_agent: 1\n    agents:\n      - { name: router, tools: [a, b] }",
                "prometheus_metrics.agent.agents[0].tools", "2 tools exceed the cap of 1 (line 5)"
            ),
            (
                "agent:\n    guardrails: [pii, \"\"]", "prometheus_metrics.agent.guardrails[1]",
                "must not be empty (line 3)"
            ),
            (
                "agent:\n    admit_unlisted_tools: 101", "prometheus_metrics.agent.admit_unlisted_tools",
                "between 0 and 100, got 101 (line 3)"
            ),
            (
                "agent:\n    agents: [{ name: a }]\n    admit_unlisted_agents: 1000\n    admit_unlisted_tools: 100",
                "prometheus_metrics.agent.admit_unlisted_tools", "more than 10000 (line 5)"
            ),
        ] as [(String, String, String)]
    )
    func badVocabularyNamesKeyReasonAndLine(section: String, key: String, reason: String) {
        let yaml = "prometheus_metrics:\n  \(section)\n"
        let error = #expect(throws: ConfigurationError.self) { try ServiceConfigurationLoader().parse(yaml: yaml) }
        #expect(error?.key == key, "\(String(describing: error))")
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.description.contains("\n") == false)
    }

    @Test(arguments: [
        (
            "prices:\n  a: { input_per_million: -2, output_per_million: 1 }\n",
            "prices.a.input_per_million: must not be negative, got -2 (line 2)"
        ),
        ("prices:\n  a: { input_per_million: 1 }\n", "prices.a.output_per_million: required (line 2)"),
        (
            "prices:\n  a: { input_per_million: 1, output_per_million: 1, currency: EUR }\n",
            "prices.a.currency: unknown key (line 2)"
        ),
        ("models:\n  a: { input_per_million: 1, output_per_million: 1 }\n", "models: unknown key (line 2)"),
        ("prices: [1, 2]\n", "prices: expected a mapping, got a sequence (line 1)"),
        ("just words\n", "expected a mapping at the top of the document, got a scalar (line 1)"),
    ])
    func badPriceFilesNameTheFileTheKeyAndTheLine(table: String, reason: String) throws {
        let directory = try TemporaryDirectory()
        let prices = try directory.write("prices.yaml", table)
        let path = try directory.write("service.yaml", "prometheus_metrics:\n  llm:\n    prices_file: prices.yaml\n")
        let error = #expect(throws: ConfigurationError.self) { try ServiceConfigurationLoader().load(path: path) }
        #expect(error?.key == "prometheus_metrics.llm.prices_file")
        #expect(error?.reason == "in \(prices): \(reason)", "\(String(describing: error))")
    }

    /// The design document's example ("With Configuration Manager") loads as written there.
    @Test(.enabled(if: Self.seedIsPresent || ExternalTool.required, "the seed document is not beside this clone"))
    func theSeedExampleLoadsVerbatim() throws {
        let seed = try String(contentsOf: Self.seedURL, encoding: .utf8)
        let heading = try #require(seed.range(of: "### With Configuration Manager"), "the seed has no such section")
        let afterHeading = seed[heading.upperBound...]
        let open = try #require(afterHeading.range(of: "```yaml\n"))
        let close = try #require(afterHeading[open.upperBound...].range(of: "\n```"))
        let yaml = String(afterHeading[open.upperBound..<close.lowerBound])
        #expect(yaml.contains("prometheus_metrics:"))
        let configuration = try ServiceConfigurationLoader().parse(yaml: yaml, file: Self.seedURL.path)
        // The example spells out the documented defaults.
        #expect(configuration == ServiceConfiguration())
    }

    static var seedURL: URL {
        packageRoot.deletingLastPathComponent().appendingPathComponent("shared/seed/000_7d402e281b214a79.txt")
    }

    static var seedIsPresent: Bool { FileManager.default.fileExists(atPath: seedURL.path) }

    /// The shipped price table loads, and every entry says where and when it was taken.
    @Test func theShippedPriceTableLoadsAndEveryEntryHasItsSource() throws {
        let file = Self.packageRoot.appendingPathComponent("Config/llm-prices.yaml")
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "service.yaml",
            "prometheus_metrics:\n  llm:\n    prices_file: \"\(file.path)\"\n"
        )
        let prices = try ServiceConfigurationLoader().load(path: path).llm.prices
        #expect(prices.count >= 8)
        #expect(prices.keys.contains { $0.hasPrefix("gpt-") })
        #expect(prices.keys.contains { $0.hasPrefix("claude-") })
        // Entries are the two-space keys under `prices:`; each block names an https source and a date.
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        var blocks: [String: [String]] = [:]
        var current: String?
        for line in lines where !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            if line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") {
                current = String(line.dropFirst(2).dropLast())
                blocks[current!] = []
            } else if let current, line.hasPrefix("    ") {
                blocks[current]?.append(line.trimmingCharacters(in: .whitespaces))
            }
        }
        #expect(Set(blocks.keys) == Set(prices.keys))
        for (name, block) in blocks {
            #expect(block.contains { $0.hasPrefix("source: \"https://") }, "\(name) has no source")
            #expect(block.contains { $0.wholeMatch(of: /as_of: "\d{4}-\d{2}-\d{2}"/) != nil }, "\(name) has no date")
        }
    }

    @Test func theSidecarExampleCarriesAVocabulary() throws {
        let path = Self.packageRoot.appendingPathComponent("Config/llmdevops-metrics-sidecar.yaml").path
        let configuration = try ServiceConfigurationLoader().load(path: path)
        #expect(configuration.llm.models.count >= 3)
        #expect(!configuration.llm.aliases.isEmpty)
        #expect(!configuration.agent.agents.isEmpty)
        // Every listed model is priced, from the shipped table or inline.
        for model in configuration.llm.models {
            #expect(model.price != nil || configuration.llm.prices[model.name] != nil, "\(model.name) has no price")
        }
    }

    /// The ConfigMap carries a vocabulary whose inline prices are the shipped table's.
    @Test func theKubernetesConfigMapCarriesTheShippedPrices() throws {
        let text = try String(
            contentsOf: Self.packageRoot.appendingPathComponent("Config/kubernetes/configmap.yaml"),
            encoding: .utf8
        )
        let start = try #require(text.range(of: "llmdevops-metrics.yaml: |\n"))
        let embedded = text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }.joined(separator: "\n")
        let loader = ServiceConfigurationLoader(environment: [
            "PROMETHEUS_METRICS_AUTH_TOKENS_PROMETHEUS_SHA256": sha256Hex("token"),
            "PROMETHEUS_METRICS_TLS_ENABLED": "false",
        ])
        let configuration = try loader.parse(yaml: embedded)
        let directory = try TemporaryDirectory()
        let table = Self.packageRoot.appendingPathComponent("Config/llm-prices.yaml").path
        let shipped = try ServiceConfigurationLoader().load(
            path: try directory.write("p.yaml", "prometheus_metrics:\n  llm:\n    prices_file: \"\(table)\"\n")
        ).llm.prices
        #expect(configuration.llm.models.count >= 2)
        #expect(!configuration.agent.agents.isEmpty)
        for model in configuration.llm.models {
            #expect(model.price != nil && model.price == shipped[model.name], "\(model.name)")
        }
    }
}
