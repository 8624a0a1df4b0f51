import Foundation
import LLMDevOpsTestSupport
import Testing

/// The scale-out topology of the "Scaling Out" article (`Config/prometheus/scale-out/`),
/// checked by promtool, against the article, and run end to end by `Scripts/scale-out.sh`.
@Suite struct ScaleOutTests {
    static let configNames = ["shard-0.yml", "shard-1.yml", "global.yml", "receiver.yml", "agent.yml"]

    static func config(_ name: String) throws -> String {
        try RepositoryFiles.text(RepositoryFiles.scaleOutDirectory.appendingPathComponent(name))
    }

    /// Laid out as /etc/prometheus (rules/, placeholder secrets/), every file passes
    /// `promtool check config`, agent.yml with `--agent`; the shards and the receiver load both
    /// rule files.
    @Test(.requiresConfigTool(.promtool))
    func configsPassPromtoolCheckConfig() async throws {
        try ConfigTool.promtool.requireAvailable()
        let directory = try TemporaryDirectory()
        let fileManager = FileManager.default
        for name in Self.configNames {
            try fileManager.copyItem(
                at: RepositoryFiles.scaleOutDirectory.appendingPathComponent(name),
                to: directory.url.appendingPathComponent(name))
        }
        try fileManager.copyItem(at: RepositoryFiles.rulesDirectory, to: directory.url.appendingPathComponent("rules"))
        let secrets = directory.url.appendingPathComponent("secrets", isDirectory: true)
        try fileManager.createDirectory(at: secrets, withIntermediateDirectories: true)
        try Data("placeholder-token\n".utf8).write(to: secrets.appendingPathComponent("llmdevops-scrape-token"))
        try Data().write(to: secrets.appendingPathComponent("llmdevops-ca.crt"))
        for name in Self.configNames {
            let agent = name == "agent.yml"
            let arguments = ["check", "config"] + (agent ? ["--agent"] : []) + [name]
            let output = try await ConfigTool.promtool.run(arguments, in: directory.url)
            #expect(output.exitCode == 0, "\(name): \(output.combined)")
            let valid = "SUCCESS: \(name) is valid prometheus config file syntax"
            #expect(output.combined.contains(valid), "\(output.combined)")
            let loadsRules = name.hasPrefix("shard-") || name == "receiver.yml"
            #expect(
                output.combined.contains("SUCCESS: 2 rule files found") == loadsRules, "\(name): \(output.combined)")
        }
        // The agent mode refuses rule files: the agent's file must be an agent configuration.
        let asServer = try await ConfigTool.promtool.run(["check", "config", "--agent", "shard-0.yml"], in: directory.url)
        #expect(asServer.exitCode != 0, "\(asServer.combined)")
    }

    /// The two shards differ only in their number: the external label that tells their series
    /// apart and the hashmod bucket they keep (plus the comments that say so).
    @Test func shardsDifferOnlyInTheShardNumber() async throws {
        let zero = try Self.config("shard-0.yml").split(separator: "\n", omittingEmptySubsequences: false)
        let one = try Self.config("shard-1.yml").split(separator: "\n", omittingEmptySubsequences: false)
        try #require(zero.count == one.count)
        var differing: [String] = []
        for (left, right) in zip(zero, one) where left != right {
            #expect(left.replacingOccurrences(of: "0", with: "1") == right, "\(left) / \(right)")
            if !left.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                differing.append(left.trimmingCharacters(in: .whitespaces))
            }
        }
        #expect(differing == [#"shard: "0""#, #"regex: "0""#])
    }

    /// The YAML snippets of the "Scaling Out" article are fragments of the committed files
    /// (comments and blank lines aside, indentation relative), so the article cannot drift from them.
    @Test func articleSnippetsAreFragmentsOfTheCommittedFiles() throws {
        let section = try RepositoryFiles.text(RepositoryFiles.scalingOutArticle)
        var snippets: [[Substring]] = []
        var current: [Substring]?
        for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "```yaml" {
                current = []
            } else if trimmed == "```", let block = current {
                snippets.append(block)
                current = nil
            } else {
                current?.append(line)
            }
        }
        try #require(snippets.count == 3, "expected the hashmod, federation and remote-write snippets")
        let files = try Dictionary(
            uniqueKeysWithValues: Self.configNames.map { ($0, Self.yamlLines(try Self.config($0))) })
        for (snippet, file) in zip(snippets, ["shard-0.yml", "global.yml", "agent.yml"]) {
            let lines = Self.yamlLines(snippet.joined(separator: "\n"))
            try #require(!lines.isEmpty)
            #expect(
                Self.contains(files[file] ?? [], lines),
                "Scaling Out snippet is not a fragment of \(file):\n\(snippet.joined(separator: "\n"))")
        }
    }

    /// Non-blank, non-comment lines as (indentation, content).
    static func yamlLines(_ text: String) -> [(indent: Int, text: String)] {
        text.split(separator: "\n").compactMap { line in
            let content = line.trimmingCharacters(in: .whitespaces)
            guard !content.isEmpty, !content.hasPrefix("#") else { return nil }
            return (line.prefix { $0 == " " }.count, content)
        }
    }

    /// Whether `fragment` occurs in `lines` as consecutive lines with the same relative indentation.
    static func contains(_ lines: [(indent: Int, text: String)], _ fragment: [(indent: Int, text: String)]) -> Bool {
        guard fragment.count <= lines.count else { return false }
        return (0...(lines.count - fragment.count)).contains { start in
            let offset = lines[start].indent - fragment[0].indent
            return fragment.indices.allSatisfy {
                lines[start + $0].text == fragment[$0].text && lines[start + $0].indent - fragment[$0].indent == offset
            }
        }
    }

    /// The whole topology on loopback: `Scripts/scale-out.sh` against the executable `swift build`
    /// built must pass every check (exact totals on the receiver and the shards, the hashmod
    /// split, the federated rule series, every dashboard query) and end with `N passed, 0 failed`.
    /// Bounded by the script's own deadlines and by the run's timeout here.
    @Test(.requiresConfigTool(.prometheus))
    func scaleOutScriptPassesEveryCheck() async throws {
        try ConfigTool.prometheus.requireAvailable()
        let executable = try #require(
            RepositoryFiles.serviceExecutable,
            "the llmdevops-metrics executable was not built (swift build --build-tests builds it)")
        let output = try await ProcessRunner.run(
            ["bash", RepositoryFiles.scaleOutScript.path, "--bin", executable], timeout: .seconds(300))
        let lines = output.stdout.split(separator: "\n")
        let last = String(lines.last ?? "")
        #expect(output.exitCode == 0, "\(output.combined)")
        let summary = try #require(
            last.wholeMatch(of: /(\d+) passed, (\d+) failed/), "last line: \(last)\n\(output.combined)")
        #expect(summary.output.2 == "0", "\(output.stdout)")
        // Every check the script makes, not a shortcut: 3 replicas, 2 shards, the totals, the
        // federated rules and every dashboard query each print a PASS line.
        let passed = lines.filter { $0.hasPrefix("PASS ") }.count
        #expect(Int(summary.output.1) == passed)
        #expect(passed >= 90, "\(output.stdout)")
        #expect(!lines.contains { $0.hasPrefix("FAIL ") }, "\(output.stdout)")
    }
}
