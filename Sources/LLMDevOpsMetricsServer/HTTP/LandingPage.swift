/// The small HTML page at `/`, in the manner of exporter-toolkit's landing page.
enum LandingPage {
    static func html(version: String, metricsPath: String, debugPages: Bool = false) -> [UInt8] {
        let path = escape(metricsPath)
        let debug =
            debugPages
            ? "<li><a href=\"/debug/cardinality\">/debug/cardinality</a>: where the series go "
                + "(<a href=\"/debug/cardinality.json\">JSON</a>)</li>\n" : ""
        let page = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>llmdevops-metrics</title></head>
            <body>
            <h1>llmdevops-metrics</h1>
            <p>Prometheus exporter for LLM and agent operations. Version \(escape(version)).</p>
            <ul>
            <li><a href="\(path)">\(path)</a>: metrics (Prometheus text 0.0.4 or OpenMetrics 1.0.0)</li>
            <li><a href="/health">/health</a>: liveness</li>
            <li><a href="/ready">/ready</a>: readiness</li>
            \(debug)</ul>
            </body>
            </html>

            """
        return Array(page.utf8)
    }

    private static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
