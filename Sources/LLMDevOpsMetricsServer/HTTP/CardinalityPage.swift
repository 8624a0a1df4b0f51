internal import Crypto
import LLMDevOpsMetrics

#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// The HTML of `/debug/cardinality`: a server-rendered page that needs no script, no external
/// asset and no inline style attribute. Its one `<style>` block is allowed by hash in
/// ``contentSecurityPolicy``; everything that comes from the registry (family and label names,
/// label values, configuration keys) goes through ``escape(_:)``.
///
/// Elements carry `data-*` attributes (`data-family`, `data-series`, `data-status`,
/// `data-label`, `data-value`) so that tests and scripts can read the page as reliably as the
/// JSON.
enum CardinalityPage {
    /// The page's only style sheet (its SHA-256 is in the CSP, so it must not change per request).
    static let style = """
        :root{color-scheme:light dark;--ok:#2e7d32;--warn:#b26a00;--bad:#c62828;--line:#8884}
        *{box-sizing:border-box}
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;padding:1rem;\
        max-width:80rem;margin-inline:auto}
        h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
        h3{font-size:1rem;margin:0;display:flex;flex-wrap:wrap;gap:.4rem;align-items:baseline}
        code,.value{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
        .muted{opacity:.75}
        meter{width:100%;height:1rem}
        .summary{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr))}
        .card{border:1px solid var(--line);border-radius:.5rem;padding:.75rem;margin:.5rem 0}
        .family.near_limit{border-left:.4rem solid var(--warn)}
        .family.at_limit{border-left:.4rem solid var(--bad)}
        .badge{font-size:.8rem;padding:0 .4rem;border-radius:.3rem;border:1px solid currentColor}
        .badge.near_limit{color:var(--warn)}.badge.at_limit{color:var(--bad)}.badge.ok{color:var(--ok)}
        .hint{margin:.3rem 0;font-size:.9rem}
        .labels{display:grid;gap:.5rem;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));margin-top:.5rem}
        .label{border-top:1px solid var(--line);padding-top:.3rem}
        ol{margin:.2rem 0;padding-left:1.6rem}
        li{overflow-wrap:anywhere}
        .count{float:right;margin-left:.5rem;font-variant-numeric:tabular-nums}
        table{border-collapse:collapse;width:100%}
        td,th{text-align:left;padding:.15rem .4rem;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        @media (max-width:40rem){body{padding:.5rem;font-size:14px}.labels{grid-template-columns:1fr}}
        """

    /// `Content-Security-Policy` of the page: nothing may load or run, the style block is
    /// allowed by its hash (no `unsafe-inline`), and the page cannot be framed.
    static let contentSecurityPolicy: String = {
        let digest = Data(SHA256.hash(data: Array(style.utf8))).base64EncodedString()
        return "default-src 'none'; style-src 'sha256-\(digest)'; img-src 'none'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'"
    }()

    /// The page for `report`; `jsonPath` is where the same data is served as JSON.
    static func html(_ report: CardinalityReport, jsonPath: String) -> [UInt8] {
        let computedAt = escape(CardinalityReport.timestamp(report.computedAt))
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Cardinality · llmdevops-metrics</title>
            <style>\(style)</style>
            </head>
            <body>
            <header>
            <h1>Cardinality</h1>
            <p class="muted">Computed at <time id="computed-at" datetime="\(computedAt)">\(computedAt)</time> in \
            <span id="compute-ms">\(milliseconds(report.computeSeconds))</span> ms.
            Same data as <a href="\(escape(jsonPath))">JSON</a> · <a href="/">home</a></p>
            </header>

            """
        page += globalSection(report)
        page += "<section id=\"families\">\n<h2>Families (\(report.families.count)), most series first</h2>\n"
        for family in report.families { page += familyCard(family) }
        page += "</section>\n</body>\n</html>\n"
        return Array(page.utf8)
    }

    private static func globalSection(_ report: CardinalityReport) -> String {
        let status = report.status
        var html = """
            <section id="registry" class="summary">
            <div class="card" id="global" data-series="\(report.series)" data-limit="\(report.seriesLimit)" \
            data-status="\(status.rawValue)">
            <h2>Series in use \(badge(status))</h2>
            <p><strong>\(report.series)</strong> of \(report.seriesLimit) (\(percent(report.share)))</p>
            \(meter(series: report.series, limit: report.seriesLimit))

            """
        if let key = report.globalLimitKey {
            html += "<p class=\"hint\">Limit: <code>\(escape(key))</code></p>\n"
        }
        html += "</div>\n<div class=\"card\" id=\"rejected\">\n<h2>Rejected creations</h2>\n<table>\n"
        for entry in report.rejected {
            html += "<tr data-reason=\"\(escape(entry.reason))\"><th><code>\(escape(entry.reason))</code></th>"
                + "<td class=\"num\">\(entry.count)</td></tr>\n"
        }
        html += "</table>\n</div>\n<div class=\"card\" id=\"redactions\">\n<h2>Redacted label values</h2>\n"
        if report.redactions.isEmpty {
            html += "<p class=\"muted\">None.</p>\n"
        } else {
            html += "<table>\n<tr><th>family</th><th>label</th><th>reason</th><th class=\"num\">values</th></tr>\n"
            for redaction in report.redactions {
                html += "<tr><td><code>\(escape(redaction.family))</code></td>"
                    + "<td><code>\(escape(redaction.label))</code></td><td>\(escape(redaction.reason))</td>"
                    + "<td class=\"num\">\(redaction.count)</td></tr>\n"
            }
            html += "</table>\n"
        }
        html += "</div>\n<div class=\"card\" id=\"overflow\">\n<h2>Collector label overflow</h2>\n"
        if report.collectorOverflow.isEmpty {
            html += "<p class=\"muted\">No value folded into <code>other</code> / <code>_unknown</code>.</p>\n"
        } else {
            html += "<table>\n<tr><th>metric</th><th>label</th><th class=\"num\">events</th></tr>\n"
            for overflow in report.collectorOverflow {
                html += "<tr><td><code>\(escape(overflow.metric))</code></td><td><code>\(escape(overflow.label))</code>"
                    + "</td><td class=\"num\">\(overflow.count)</td></tr>\n"
            }
            html += "</table>\n"
        }
        html += "</div>\n</section>\n"
        return html
    }

    private static func familyCard(_ family: CardinalityReport.Family) -> String {
        let status = family.status
        let name = escape(family.name)
        var html = """
            <article class="card family \(status.rawValue)" id="family-\(name)" data-family="\(name)" \
            data-series="\(family.series)" data-limit="\(family.seriesLimit)" data-status="\(status.rawValue)">
            <h3><code>\(name)</code> <span class="muted">\(family.type.rawValue)</span> \(badge(status))</h3>
            <p>\(family.series) of \(family.seriesLimit) series (\(percent(family.share)))</p>
            \(meter(series: family.series, limit: family.seriesLimit))

            """
        if status != .ok, let key = family.limitKey {
            html += "<p class=\"hint\">Raise the limit with <code>\(escape(key))</code>.</p>\n"
        }
        let rejections = family.rejected.filter { $0.count > 0 }
            .map { "\(escape($0.reason)) \($0.count)" }.joined(separator: ", ")
        html += "<p class=\"muted\" data-rejected=\"\(family.rejectedTotal)\" "
            + "data-idle-expiries=\"\(family.idleExpiries)\">"
            + "Rejected: \(rejections.isEmpty ? "none" : rejections) · idle expiries: \(family.idleExpiries)</p>\n"
        if !family.labels.isEmpty {
            html += "<div class=\"labels\">\n"
            for label in family.labels { html += labelBlock(label, status: status) }
            html += "</div>\n"
        }
        html += "</article>\n"
        return html
    }

    private static func labelBlock(
        _ label: CardinalityReport.Label, status: CardinalityReport.Status
    ) -> String {
        var html = """
            <div class="label" data-label="\(escape(label.name))" data-distinct="\(label.distinctValues)">
            <strong><code>\(escape(label.name))</code></strong> <span class="muted">\(label.distinctValues) \
            distinct value\(label.distinctValues == 1 ? "" : "s")</span>

            """
        if status != .ok, let allowList = label.allowList {
            html += "<p class=\"hint\">Values admitted by <code>\(escape(allowList))</code>.</p>\n"
        }
        html += "<ol>\n"
        for entry in label.topValues {
            html += "<li data-value=\"\(escape(entry.value))\" data-count=\"\(entry.series)\">"
                + "<span class=\"value\">\(escape(entry.value))</span><span class=\"count\">\(entry.series)</span>"
                + "</li>\n"
        }
        html += "</ol>\n</div>\n"
        return html
    }

    /// A bar of `series` against `limit`: green below the warning share, amber from it, red at
    /// the limit (`high` sits just below it, so a full family is past `high`).
    private static func meter(series: Int, limit: Int) -> String {
        let maximum = max(1, limit)
        let low = Double(maximum) * CardinalityReport.warningShare
        let percentage = percent(limit > 0 ? Double(series) / Double(limit) : 0)
        return "<meter min=\"0\" max=\"\(maximum)\" value=\"\(series)\" low=\"\(low)\" "
            + "high=\"\(Double(maximum) - 0.5)\" optimum=\"0\">\(percentage)</meter>"
    }

    private static func badge(_ status: CardinalityReport.Status) -> String {
        let text =
            switch status {
            case .ok: "ok"
            case .nearLimit: "near limit"
            case .atLimit: "at limit"
            }
        return "<span class=\"badge \(status.rawValue)\">\(text)</span>"
    }

    private static func percent(_ share: Double) -> String {
        guard share.isFinite else { return "–" }
        return "\(Int((share * 100).rounded()))%"
    }

    private static func milliseconds(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        let hundredths = Int((seconds * 100_000).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `text` safe inside an element or a double-quoted attribute: `&`, `<`, `>`, `"` and `'`
    /// become character references.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
