import LLMDevOpsTestSupport
import Testing
@testable import LLMDevOpsMetrics

private func value(_ v: Double) -> String {
    var out: [UInt8] = []
    FloatFormatter.appendValue(v, to: &out)
    return String(decoding: out, as: UTF8.self)
}

private func go(_ v: Double) -> String {
    var out: [UInt8] = []
    FloatFormatter.appendGo(v, to: &out)
    return String(decoding: out, as: UTF8.self)
}

private func le(_ v: Double) -> String {
    var out: [UInt8] = []
    FloatFormatter.appendLeLabel(v, to: &out)
    return String(decoding: out, as: UTF8.self)
}

/// Random finite doubles: raw bit patterns (all magnitudes), subnormals, integers, "human" values.
private func randomFiniteDoubles(count: Int, seed: UInt64) -> [Double] {
    var rng = SplitMix64(seed: seed)
    var result: [Double] = []
    result.reserveCapacity(count)
    while result.count < count {
        let bits = rng.next()
        let candidate: Double
        switch bits % 5 {
        case 0, 1:
            candidate = Double(bitPattern: rng.next())
        case 2:
            // Subnormal (biased exponent 0) with random sign.
            candidate = Double(bitPattern: rng.next() & 0x800F_FFFF_FFFF_FFFF)
        case 3:
            // Integers of every size, including beyond 2^53 and around the 1e6 / 1e21 thresholds.
            let shift = rng.next() % 75
            candidate = Double(Int64(bitPattern: rng.next()) >> (shift % 64)) * (shift >= 64 ? 1e6 : 1)
        default:
            // Short decimals like 0.25, 123.5, 1.5e-7.
            let mantissa = Double(Int64(rng.next() % 200_000) - 100_000)
            let exponent = Int(rng.next() % 40) - 20
            candidate = mantissa * pow10(exponent)
        }
        if candidate.isFinite { result.append(candidate) }
    }
    return result
}

private func pow10(_ e: Int) -> Double {
    var r = 1.0
    for _ in 0..<abs(e) { r *= 10 }
    return e < 0 ? 1 / r : r
}

@Suite("FloatFormatter", .ownThread)
struct FloatFormatterTests {
    // MARK: appendGo

    @Test("appendGo matches Go's FormatFloat(v, 'g', -1, 64)", arguments: [
        (0.005, "0.005"), (0.1, "0.1"), (1, "1"), (10, "10"), (100_000, "100000"),
        (1e6, "1e+06"), (1_234_567, "1.234567e+06"), (0.0001, "0.0001"), (0.00001, "1e-05"),
        (2.5, "2.5"), (123_456.7, "123456.7"), (1.5e300, "1.5e+300"), (.leastNonzeroMagnitude, "5e-324"),
        (-2, "-2"), (0, "0"), (-0.0, "-0"), (999_999, "999999"), (-1e6, "-1e+06"),
        (123_456_789.5, "1.234567895e+08"), (1e21, "1e+21"), (1e100, "1e+100"),
        (0.000123, "0.000123"), (0.0000123, "1.23e-05"), (1e-10, "1e-10"),
        (.greatestFiniteMagnitude, "1.7976931348623157e+308"),
        (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN"),
    ] as [(Double, String)])
    func goVectors(_ v: Double, _ expected: String) {
        #expect(go(v) == expected)
    }

    @Test("appendGo matches independently generated vectors", arguments: GoFloatVectors.goVectors)
    func goCrossCheck(_ bits: UInt64, _ expected: String) {
        #expect(go(Double(bitPattern: bits)) == expected)
    }

    // MARK: appendValue

    @Test("appendValue writes specials, integers and values", arguments: [
        (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN"), (-.nan, "NaN"),
        (0, "0"), (-0.0, "0"), (1, "1"), (-1, "-1"), (1e6, "1000000"), (42, "42"),
        (9_007_199_254_740_991, "9007199254740991"), (-9_007_199_254_740_991, "-9007199254740991"),
        (9_007_199_254_740_992, "9007199254740992"),
        (1e20, "100000000000000000000"), (1e21, "1e+21"),
        (123_456_789.5, "123456789.5"), (0.1, "0.1"), (2.5, "2.5"), (0.0001, "0.0001"),
        (0.00001, "1e-05"), (.leastNonzeroMagnitude, "5e-324"), (1.5e300, "1.5e+300"), (-0.25, "-0.25"),
        (0.30000000000000004, "0.30000000000000004"),
    ] as [(Double, String)])
    func valueVectors(_ v: Double, _ expected: String) {
        #expect(value(v) == expected)
    }

    @Test("appendValue matches independently generated vectors", arguments: GoFloatVectors.valueVectors)
    func valueCrossCheck(_ bits: UInt64, _ expected: String) {
        #expect(value(Double(bitPattern: bits)) == expected)
    }

    @Test("appendValue appends to existing content")
    func appends() {
        var out = Array("x ".utf8)
        FloatFormatter.appendValue(12, to: &out)
        FloatFormatter.appendValue(0.5, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x 120.5")
    }

    // MARK: appendLeLabel

    @Test("appendLeLabel uses the canonical le form", arguments: [
        (0.005, "0.005"), (0.1, "0.1"), (1, "1.0"), (10, "10.0"), (100_000, "100000.0"),
        (1e6, "1e+06"), (2.5, "2.5"), (0.25, "0.25"), (0.00001, "1e-05"), (-1, "-1.0"),
        (0, "0.0"), (-0.0, "-0.0"), (1_234_567, "1.234567e+06"), (999_999, "999999.0"),
        (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN"), (60, "60.0"), (0.75, "0.75"),
    ] as [(Double, String)])
    func leVectors(_ v: Double, _ expected: String) {
        #expect(le(v) == expected)
    }

    // MARK: Properties

    @Test("appendValue and appendGo round-trip 100,000 random finite doubles")
    func roundTrip() {
        var failures: [String] = []
        for v in randomFiniteDoubles(count: 100_000, seed: 0x5EED_F00D) {
            let valueText = value(v)
            let goText = go(v)
            // appendValue may write -0.0 as "0"; == treats them as equal, bits must match otherwise.
            if Double(valueText) != v || (v != 0 && Double(valueText)?.bitPattern != v.bitPattern) {
                failures.append("value \(v.bitPattern): \(valueText)")
            }
            if Double(goText)?.bitPattern != v.bitPattern {
                failures.append("go \(v.bitPattern): \(goText)")
            }
            if !hasGoShape(goText, threshold: FloatFormatter.goExponentThreshold) {
                failures.append("go shape \(v.bitPattern): \(goText)")
            }
            if !hasGoShape(valueText, threshold: FloatFormatter.valueExponentThreshold) {
                failures.append("value shape \(v.bitPattern): \(valueText)")
            }
            if failures.count > 20 { break }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// The scaling route (few decimals) and the `Double.write(to:)` route must both give the
    /// standard library's shortest round-trip digits: the same significant digits and decimal
    /// exponent as `description`, on random doubles and on values of one to eleven decimals.
    @Test("appendValue writes the same shortest digits as Double.description")
    func shortestDigits() {
        var rng = SplitMix64(seed: 0xD161_7500)
        var values = randomFiniteDoubles(count: 50_000, seed: 0xD161_7501)
        for _ in 0..<50_000 {
            let decimals = Int(rng.next() % 11) + 1
            let digits = rng.next() % (1 << (rng.next() % 50 + 1))
            values.append(Double(digits) / pow10(decimals) * (rng.next() % 2 == 0 ? 1 : -1))
        }
        values += [24.75, 0.125, 0.37, 3.2030000000000003, 0.1 + 0.2, 1e-4, 0.00037, 1_099_511.6277]
        var failures: [String] = []
        for v in values where v != 0 && v.rounded(.towardZero) != v {
            let written = significantDigits(value(v))
            let expected = significantDigits(v.description)
            if written.digits != expected.digits || written.exponent != expected.exponent {
                failures.append("\(v.bitPattern): \(value(v)) against \(v.description)")
            }
            if failures.count > 20 { break }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// The significant digits of a decimal number (no sign, point or leading and trailing
    /// zeros) and the decimal exponent of the first of them.
    private func significantDigits(_ text: String) -> (digits: String, exponent: Int) {
        var body = Substring(text.lowercased())
        if body.first == "-" { body = body.dropFirst() }
        var exponent = 0
        if let e = body.firstIndex(of: "e") {
            exponent = Int(body[body.index(after: e)...]) ?? 0
            body = body[..<e]
        }
        let point = body.firstIndex(of: ".") ?? body.endIndex
        let integerCount = body.distance(from: body.startIndex, to: point)
        let all = body.filter { $0 != "." }
        let leadingZeros = all.prefix { $0 == "0" }.count
        var digits = String(all.dropFirst(leadingZeros))
        while digits.last == "0" { digits.removeLast() }
        return (digits, exponent + integerCount - leadingZeros - 1)
    }

    @Test("le labels round-trip and always contain '.' or 'e'")
    func leRoundTrip() {
        for v in randomFiniteDoubles(count: 20_000, seed: 42) {
            let text = le(v)
            guard Double(text)?.bitPattern == v.bitPattern,
                  text.contains(".") || text.contains("e") else {
                Issue.record("le \(v.bitPattern): \(text)")
                return
            }
        }
    }

    /// Checks the textual shape: `-?d(.d+)?e[+-]dd+` with the exponent outside [-4, threshold),
    /// or a positional number whose decimal exponent is inside it; no redundant zeros.
    private func hasGoShape(_ text: String, threshold: Int) -> Bool {
        var body = Substring(text)
        if body.first == "-" { body = body.dropFirst() }
        if let e = body.firstIndex(of: "e") {
            let mantissa = body[..<e]
            let exponentText = body[body.index(after: e)...]
            guard let sign = exponentText.first, sign == "+" || sign == "-",
                  exponentText.count >= 3, let exponent = Int(exponentText) else { return false }
            guard exponent < -4 || exponent >= threshold else { return false }
            guard let first = mantissa.first, first != "0", first.isNumber else { return false }
            if mantissa.count > 1 {
                return mantissa.dropFirst().first == "." && mantissa.count > 2 && mantissa.last != "0"
            }
            return true
        }
        if let dot = body.firstIndex(of: ".") {
            guard body.last != "0" else { return false }
            let integerPart = body[..<dot]
            if integerPart == "0" {
                let leadingZeros = body[body.index(after: dot)...].prefix { $0 == "0" }.count
                return leadingZeros <= 3 // decimal exponent >= -4
            }
            return integerPart.first != "0" && integerPart.count <= threshold
        }
        return body == "0" || (body.first != "0" && body.count <= threshold)
    }
}
