import LLMDevOpsFuzzSupport
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting

/// The label-value secret screen (`Sources/LLMDevOpsMetrics/Labels/LabelValueScreen.swift`)
/// and the registry that applies it.
///
/// Input: a mode byte; mode 0 uses the rest as the label value, the other modes build a value
/// with a secret of a known shape (e-mail address, 32+ hex digits, JWT, AWS key id, `Bearer`
/// credential) between fuzzed text. Properties:
/// - never exported verbatim: in a screening family the rendered exposition, parsed back,
///   holds `_redacted` for a flagged value and the value itself, exactly, otherwise;
/// - every reason has its evidence in the value (an `@`, 32 hex digits in a row, `eyJ`, ...);
/// - secrets of the known shapes are always flagged, whatever surrounds them (separated by a
///   space), and a flagged value stays flagged with spaces around it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLabelScreen(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.byte() % 6
    let value: String
    var mustFlag = false
    if mode == 0 {
        value = String(decoding: input.remaining(), as: UTF8.self)
    } else {
        let before = input.string(maxBytes: 40)
        let after = input.string(maxBytes: 40)
        value = before + " " + Shapes.secret(mode: mode, &input) + " " + after
        mustFlag = true
    }

    let reason = LabelValueScreen.reason(for: value)
    if mustFlag {
        fuzzCheck(reason != nil, "the secret in \(quoted(value)) was not flagged")
    }
    if let reason {
        fuzzCheck(
            Evidence.holds(for: reason, in: Array(value.utf8)),
            "\(reason) without its evidence in \(quoted(value))"
        )
        fuzzCheck(
            LabelValueScreen.reason(for: " " + value + " ") != nil,
            "\(quoted(value)) is flagged but not with spaces around it"
        )
        fuzzCheck(
            LabelValueScreen.screened(value) == LabelValueScreen.redactedValue,
            "screened(\(quoted(value))) is not redacted"
        )
    } else {
        fuzzCheck(LabelValueScreen.screened(value) == value, "screened(\(quoted(value))) changed an unflagged value")
    }

    // What a scrape shows.
    let exported: String?? = runBlocking {
        let registry = RegistryActor(configuration: RegistryConfiguration(screensLabelValues: true))
        do {
            let family = try await registry.makeGaugeFamily(
                name: "fuzz_labelled",
                help: "Fuzzed label values.",
                labelNames: ["v"]
            )
            try await family.labels(["v": value]).set(to: 1)
        } catch {
            return .some(nil)  // refused (counted); nothing exported
        }
        let body = await registry.render(.prometheusText)
        guard let parsed = try? ExpositionParser.parse(body, syntax: .prometheusText) else { return nil }
        return .some(parsed.samples.first { $0.name == "fuzz_labelled" }?.labels["v"])
    }
    guard let shown = exported else {
        fuzzCheck(false, "the exposition with the label value \(quoted(value)) does not parse")
        return 0
    }
    if let shown {
        if reason != nil {
            fuzzCheck(
                shown == LabelValueScreen.redactedValue,
                "flagged value \(quoted(value)) exported as \(quoted(shown))"
            )
        } else {
            fuzzCheck(shown == value, "value \(quoted(value)) exported as \(quoted(shown))")
        }
    }
    return 0
}

/// Secrets of the shapes the screen documents, built from the input.
enum Shapes {
    static let hexDigits = Array("0123456789abcdefABCDEF")
    static let base64URL = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    static let upperDigits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    static let lower = Array("abcdefghijklmnopqrstuvwxyz")

    static func run(_ alphabet: [Character], count: Int, _ input: inout FuzzInput) -> String {
        String((0..<count).map { _ in alphabet[Int(input.byte()) % alphabet.count] })
    }

    static func secret(mode: UInt8, _ input: inout FuzzInput) -> String {
        switch mode {
        case 1:  // e-mail address
            return run(lower, count: input.int(in: 1...12), &input) + "@"
                + run(lower, count: input.int(in: 1...12), &input) + "."
                + run(lower, count: input.int(in: 2...6), &input)
        case 2:  // 32 or more hex digits
            return run(hexDigits, count: input.int(in: 32...64), &input)
        case 3:  // JWT
            return "eyJ" + run(base64URL, count: input.int(in: 10...40), &input) + "."
                + run(base64URL, count: input.int(in: 10...40), &input)
                + "." + run(base64URL, count: input.int(in: 10...40), &input)
        case 4:  // AWS access key id
            return input.pick(["AKIA", "ASIA"]) + run(upperDigits, count: 16, &input)
        default:  // a Bearer credential that is not one lower-case word
            return input.pick(["Bearer ", "bearer ", "Basic "]) + run(base64URL, count: input.int(in: 7...40), &input)
                + String(input.int(in: 0...9))
        }
    }
}

/// What each reason needs to be present in the value.
enum Evidence {
    static func contains(_ bytes: [UInt8], _ needle: String, caseInsensitive: Bool = false) -> Bool {
        let pattern = Array(needle.utf8)
        guard bytes.count >= pattern.count else { return false }
        func fold(_ byte: UInt8) -> UInt8 { caseInsensitive && byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
        for start in 0...(bytes.count - pattern.count)
        where (0..<pattern.count).allSatisfy({ fold(bytes[start + $0]) == fold(pattern[$0]) }) {
            return true
        }
        return false
    }

    static func longestRun(_ bytes: [UInt8], _ member: (UInt8) -> Bool) -> Int {
        var best = 0
        var current = 0
        for byte in bytes {
            current = member(byte) ? current + 1 : 0
            best = max(best, current)
        }
        return best
    }

    static func isHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    static func isBase64(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || [UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "-"), UInt8(ascii: "_")].contains(
                byte
            )
    }

    static func holds(for reason: LabelValueScreen.Reason, in bytes: [UInt8]) -> Bool {
        switch reason {
        case .email: return bytes.contains(UInt8(ascii: "@"))
        case .bearerToken:
            return contains(bytes, "bearer ", caseInsensitive: true) || contains(bytes, "basic ", caseInsensitive: true)
        case .jwt: return contains(bytes, "eyJ") && bytes.filter { $0 == UInt8(ascii: ".") }.count >= 2
        case .apiKey:
            return [
                "sk-", "sk_", "rk_", "pk_live_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xoxb-",
                "xoxp-",
                "xoxa-", "xoxs-", "AIza", "glpat-", "hf_", "AKIA", "ASIA",
            ].contains { contains(bytes, $0) }
        case .hexRun: return longestRun(bytes, isHex) >= 32
        case .base64Run: return longestRun(bytes, isBase64) >= 32
        }
    }
}
