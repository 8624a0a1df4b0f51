import Foundation
import LLMDevOpsTestSupport
import Testing

/// Debian's `chromium` in headless mode: the DOM after loading a page, and screenshots. Each run
/// gets its own profile directory and is bounded in time (ChildProcess stops it by PID).
enum HeadlessChromium {
    static func arguments(profile: String) -> [String] {
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=\(profile)",
            "--enable-logging=stderr", "--v=0",
        ]
    }

    /// The serialised DOM of `url` after load (`--dump-dom`) and chromium's log (console
    /// messages, CSP violations).
    static func dumpDOM(_ url: String, directory: TemporaryDirectory) async throws -> (dom: String, log: String) {
        let profile = directory.path("chromium-\(UUID().uuidString)")
        let run = try await ChildProcess.run(
            ExternalTool.chromium.rawValue, arguments(profile: profile) + ["--dump-dom", url],
            directory: directory.url, timeout: .seconds(120))
        try #require(run.status == 0, "chromium --dump-dom failed: \(run.error.suffix(2000))")
        return (run.output, run.error)
    }

    /// A PNG of `url` at `width` x `height` CSS pixels, written to `path`.
    static func screenshot(
        _ url: String, width: Int, height: Int, to path: String, directory: TemporaryDirectory
    ) async throws {
        let profile = directory.path("chromium-\(UUID().uuidString)")
        let run = try await ChildProcess.run(
            ExternalTool.chromium.rawValue,
            arguments(profile: profile) + ["--screenshot=\(path)", "--window-size=\(width),\(height)", url],
            directory: directory.url, timeout: .seconds(120))
        try #require(run.status == 0, "chromium --screenshot failed: \(run.error.suffix(2000))")
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        try #require(size > 1000, "no screenshot at \(path)")
    }

    /// What Python's html.parser (an independent HTML parser) reads from a dumped DOM: the
    /// families, labels and top values the page marks with data attributes, the text of each
    /// value, and the number of `<script>` elements.
    static let domReader = #"""
        import json, sys
        from html.parser import HTMLParser

        class Reader(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.families, self.scripts, self.registry = [], 0, None
                self.family = self.label = self.item = self.capture = None

            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == "script":
                    self.scripts += 1
                if a.get("id") == "global":
                    self.registry = {"series": int(a["data-series"]), "limit": int(a["data-limit"]),
                                     "status": a["data-status"]}
                if "data-family" in a:
                    self.family = {"name": a["data-family"], "series": int(a["data-series"]),
                                   "limit": int(a["data-limit"]), "status": a["data-status"],
                                   "classes": a.get("class", "").split(), "labels": []}
                    self.families.append(self.family)
                if "data-label" in a and self.family is not None:
                    self.label = {"name": a["data-label"], "distinct": int(a["data-distinct"]), "top": []}
                    self.family["labels"].append(self.label)
                if "data-value" in a and self.label is not None:
                    self.item = {"value": a["data-value"], "count": int(a["data-count"]), "text": ""}
                    self.label["top"].append(self.item)
                if tag == "span" and a.get("class") == "value" and self.item is not None:
                    self.capture = self.item

            def handle_endtag(self, tag):
                if tag == "span":
                    self.capture = None
                elif tag == "li":
                    self.item = None
                elif tag == "article":
                    self.family = self.label = None

            def handle_data(self, data):
                if self.capture is not None:
                    self.capture["text"] += data

        reader = Reader()
        reader.feed(sys.stdin.read())
        print(json.dumps({"families": reader.families, "scripts": reader.scripts, "registry": reader.registry}))
        """#

    /// `dom` read by ``domReader``.
    static func read(dom: String) async throws -> RenderedPage {
        let output = try await ProcessRunner.run(["python3", "-c", domReader], stdin: dom, timeout: .seconds(60))
        try #require(output.exitCode == 0, "python3 html.parser failed: \(output.combined)")
        return try JSONDecoder().decode(RenderedPage.self, from: Data(output.stdout.utf8))
    }
}

/// The cardinality page as the browser rendered it (read by ``HeadlessChromium/domReader``).
struct RenderedPage: Decodable {
    struct Registry: Decodable {
        let series: Int
        let limit: Int
        let status: String
    }

    struct Family: Decodable {
        let name: String
        let series: Int
        let limit: Int
        let status: String
        let classes: [String]
        let labels: [Label]
    }

    struct Label: Decodable {
        let name: String
        let distinct: Int
        let top: [Value]
    }

    struct Value: Decodable {
        let value: String
        let count: Int
        let text: String
    }

    let families: [Family]
    let scripts: Int
    let registry: Registry?
}

/// The JSON of `/debug/cardinality.json`, the fields the browser test compares.
struct CardinalityJSON: Decodable {
    struct Series: Decodable {
        let in_use: Int
        let limit: Int
        let status: String
    }

    struct Family: Decodable {
        let name: String
        let series: Int
        let limit: Int
        let status: String
        let rejected: [String: Int]
        let labels: [Label]
    }

    struct Label: Decodable {
        let name: String
        let distinct_values: Int
        let top_values: [Value]
    }

    struct Value: Decodable, Equatable {
        let value: String
        let series: Int
    }

    let schema: String
    let series: Series
    let families: [Family]
}
