import LLMDevOpsCollectors

#if canImport(FoundationEssentials)
    internal import FoundationEssentials
#else
    internal import Foundation
#endif

/// `prometheus_metrics.llm` and `prometheus_metrics.agent`: the collectors' label vocabulary
/// Read into the library's own `LLMCollectorConfiguration` and
/// `AgentCollectorConfiguration` and validated by `CollectorsConfiguration.validate()`, so the
/// YAML and the library accept exactly the same vocabularies; errors name the YAML key path
/// (`prometheus_metrics.llm.models[2].price.input_per_million`) and line.
extension ServiceConfigurationLoader {
    /// Reads both sections and validates them together (also when a collector is switched off,
    /// so a file is valid or not whatever `collectors` says).
    static func readVocabulary(
        llm llmSection: ConfigReader,
        agent agentSection: ConfigReader,
        directory: String
    ) throws(ConfigurationError) -> (LLMCollectorConfiguration, AgentCollectorConfiguration) {
        var locations = VocabularyLocations()
        let llm = try readLLM(llmSection, directory: directory, locations: &locations)
        let agent = try readAgent(agentSection, locations: &locations)
        var check = CollectorsConfiguration(llm: llm, agent: agent)
        check.llm.isEnabled = true
        check.agent.isEnabled = true
        do {
            try check.validate()
        } catch {
            throw locations.configurationError(for: error)
        }
        return (llm, agent)
    }

    private static func readLLM(
        _ section: ConfigReader,
        directory: String,
        locations: inout VocabularyLocations
    ) throws(ConfigurationError) -> LLMCollectorConfiguration {
        var result = LLMCollectorConfiguration()
        let defaults = result
        locations.record("llm", section.path, nil)
        locations.record("llm.models", section.keyPath("models"), section.line(of: "models"))
        for (index, (path, node)) in (try section.list("models") ?? []).enumerated() {
            let key = "llm.models[\(index)]"
            let item = try ConfigReader.item(node, path: path)
            let name = try item.requiredString("name", itemLine: node.line)
            let provider = try item.requiredString("provider", itemLine: node.line)
            let family = try item.optionalString("family")
            var price: LLMPrice?
            if let priceNode = item.node("price") {
                price = try readPrice(
                    try ConfigReader.item(priceNode, path: item.keyPath("price")),
                    line: priceNode.line
                )
            }
            try item.finish()
            locations.record(key, path, node.line)
            for field in ["name", "provider", "family", "price"] {
                locations.record("\(key).\(field)", item.keyPath(field), item.line(of: field) ?? node.line)
            }
            result.models.append(LLMModel(name, provider: provider, family: family, price: price))
        }

        for (index, (path, node)) in (try section.list("aliases") ?? []).enumerated() {
            let item = try ConfigReader.item(node, path: path)
            let alias = LLMModelAlias(
                try item.requiredString("pattern", itemLine: node.line),
                model: try item.requiredString("model", itemLine: node.line)
            )
            try item.finish()
            locations.record("llm.aliases[\(index)]", path, node.line)
            for field in ["pattern", "model"] {
                locations.record(
                    "llm.aliases[\(index)].\(field)",
                    item.keyPath(field),
                    item.line(of: field) ?? node.line
                )
            }
            result.aliases.append(alias)
        }

        let pricesFile = try section.string("prices_file", default: "")
        if !pricesFile.isEmpty {
            let path = pricesFile.hasPrefix("/") ? pricesFile : directory + "/" + pricesFile
            result.prices = try readPriceTable(
                path: path,
                key: section.keyPath("prices_file"),
                line: section.line(of: "prices_file")
            )
        }

        for (chainIndex, (chainPath, chainNode)) in (try section.list("fallback_chains") ?? []).enumerated() {
            var chain: [String] = []
            for (index, (path, node)) in try ConfigReader.items(of: chainNode, path: chainPath).enumerated() {
                chain.append(try ConfigReader.text(of: node, path: path, what: "a model name"))
                locations.record("llm.fallbackChains[\(chainIndex)][\(index)]", path, node.line ?? chainNode.line)
            }
            result.fallbackChains.append(chain)
        }

        locations.record("llm.teams", section.keyPath("teams"), section.line(of: "teams"))
        result.teams = try strings(section, "teams", key: "llm.teams", locations: &locations)
        result.maxModels = try int(
            section, "max_models", key: "llm.maxModels", default: defaults.maxModels, in: 1...10_000,
            locations: &locations)
        result.admitUnlistedModels = try int(
            section, "admit_unlisted_models", key: "llm.admitUnlistedModels", default: defaults.admitUnlistedModels,
            in: 0...CollectorsConfiguration.maxAdmittedNames, locations: &locations)
        result.exportsQueueDuration = try section.bool("export_queue_duration", default: defaults.exportsQueueDuration)
        try section.finish()
        return result
    }

    private static func readAgent(
        _ section: ConfigReader,
        locations: inout VocabularyLocations
    ) throws(ConfigurationError) -> AgentCollectorConfiguration {
        var result = AgentCollectorConfiguration()
        let defaults = result
        locations.record("agent", section.path, nil)
        locations.record("agent.agents", section.keyPath("agents"), section.line(of: "agents"))
        for (index, (path, node)) in (try section.list("agents") ?? []).enumerated() {
            let key = "agent.agents[\(index)]"
            let item = try ConfigReader.item(node, path: path)
            let name = try item.requiredString("name", itemLine: node.line)
            locations.record(key, path, node.line)
            locations.record("\(key).name", item.keyPath("name"), item.line(of: "name") ?? node.line)
            locations.record("\(key).tools", item.keyPath("tools"), item.line(of: "tools") ?? node.line)
            let tools = try strings(item, "tools", key: "\(key).tools", locations: &locations)
            try item.finish()
            result.agents.append(AgentDefinition(name, tools: tools))
        }
        locations.record("agent.guardrails", section.keyPath("guardrails"), section.line(of: "guardrails"))
        result.guardrails = try strings(section, "guardrails", key: "agent.guardrails", locations: &locations)
        result.maxAgents = try int(
            section, "max_agents", key: "agent.maxAgents", default: defaults.maxAgents, in: 1...10_000,
            locations: &locations)
        result.maxToolsPerAgent = try int(
            section, "max_tools_per_agent", key: "agent.maxToolsPerAgent", default: defaults.maxToolsPerAgent,
            in: 1...1000, locations: &locations)
        result.admitUnlistedAgents = try int(
            section, "admit_unlisted_agents", key: "agent.admitUnlistedAgents", default: defaults.admitUnlistedAgents,
            in: 0...CollectorsConfiguration.maxAdmittedNames, locations: &locations)
        result.admitUnlistedTools = try int(
            section, "admit_unlisted_tools", key: "agent.admitUnlistedTools", default: defaults.admitUnlistedTools,
            in: 0...CollectorsConfiguration.maxAdmittedToolsPerAgent, locations: &locations)
        try section.finish()
        return result
    }

    /// An integer setting in `range`, recorded as where the library's `key` was written.
    private static func int(
        _ reader: ConfigReader,
        _ yamlKey: String,
        key: String,
        default defaultValue: Int,
        in range: ClosedRange<Int>,
        locations: inout VocabularyLocations
    ) throws(ConfigurationError) -> Int {
        let value = try reader.int(yamlKey, default: defaultValue, in: range)
        locations.record(key, reader.keyPath(yamlKey), reader.line(of: yamlKey))
        return value
    }

    /// A list of names, each recorded at its position (`key[i]`).
    private static func strings(
        _ reader: ConfigReader,
        _ yamlKey: String,
        key: String,
        locations: inout VocabularyLocations
    ) throws(ConfigurationError) -> [String] {
        var result: [String] = []
        for (index, (path, node)) in (try reader.list(yamlKey) ?? []).enumerated() {
            result.append(try ConfigReader.text(of: node, path: path))
            locations.record("\(key)[\(index)]", path, node.line)
        }
        return result
    }

    /// `{ input_per_million, output_per_million, cache_read_per_million, cache_write_per_million }`
    /// in US dollars; the cache prices are optional (absent: charged as input).
    private static func readPrice(_ price: ConfigReader, line: Int?) throws(ConfigurationError) -> LLMPrice {
        func required(_ key: String) throws(ConfigurationError) -> Double {
            guard let value = try price.nonNegativeNumber(key) else {
                throw ConfigurationError(.missingValue, key: price.keyPath(key), "required\(ConfigReader.at(line))")
            }
            return value
        }
        let result = LLMPrice(
            inputPerMillion: try required("input_per_million"),
            outputPerMillion: try required("output_per_million"),
            cacheReadPerMillion: try price.nonNegativeNumber("cache_read_per_million"),
            cacheWritePerMillion: try price.nonNegativeNumber("cache_write_per_million")
        )
        return result
    }

    /// The price table file: `prices:` mapping model names to a price (as in `models[].price`)
    /// plus optional `source` and `as_of` strings. Any problem is reported under `key` (the
    /// `prices_file` setting) with the file, the key inside it and the line.
    private static func readPriceTable(path: String, key: String, line: Int?) throws(ConfigurationError) -> [String:
        LLMPrice]
    {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read" : "no such file"
            throw ConfigurationError(.invalidValue, key: key, "\(reason): \(path)\(ConfigReader.at(line))")
        }
        do throws(ConfigurationError) {
            let root = try ConfigReader.document(
                try ConfigNode.parse(text, file: path), file: path, environment: EnvironmentOverrides(environment: [:]))
            let prices = try root.section("prices")
            var table: [String: LLMPrice] = [:]
            for (name, _) in prices.entries {
                let entry = try prices.section(name)
                guard !name.isEmpty else {
                    throw ConfigurationError(.invalidValue, key: entry.path, "model names must not be empty")
                }
                let price = try readPrice(entry, line: prices.line(of: name))
                _ = try entry.optionalString("source")
                _ = try entry.optionalString("as_of")
                try entry.finish()
                table[name] = price
            }
            try root.finish()
            return table
        } catch {
            let inner = error.key == path ? error.reason : "\(error.key): \(error.reason)"
            throw ConfigurationError(error.code, key: key, "in \(path): \(inner)")
        }
    }
}
