/// Byte-level formatting of `Double` values for the text exposition formats.
///
/// Every function appends ASCII bytes to an `inout [UInt8]` buffer. The output always parses
/// back with Go's `strconv.ParseFloat` (and Swift's `Double(_:)`) to exactly the input value.
///
/// Three flavours exist:
/// - ``appendValue(_:to:)`` for sample values: integers are written as plain digits without any
///   allocation; other values use Go's shortest `'g'` layout but switch to exponent form only when
///   the decimal exponent is `< -4` or `>= 21` (so `123456789.5` stays positional; Go's own
///   `FormatFloat(v, 'g', -1, 64)` would print `1.234567895e+08`, which parses to the same value).
/// - ``appendGo(_:to:)``: exactly Go's `strconv.FormatFloat(v, 'g', -1, 64)` / `fmt` `%g`.
/// - ``appendLeLabel(_:to:)``: the canonical histogram `le` label value (Go `%g` plus `.0`).
///
/// Shortest round-trip digits for non-integral values are taken from Swift's
/// `Double.description` (which is shortest round-trip and closest, like Go's algorithm) and
/// re-laid out; that string is usually small enough to live inline, without a heap allocation.
package enum FloatFormatter {
    /// Exponent threshold for sample values: exponent form when the decimal exponent is `>= 21`.
    package static let valueExponentThreshold = 21

    /// Go's exponent threshold for shortest `%g`: exponent form when the decimal exponent is `>= 6`.
    package static let goExponentThreshold = 6

    /// 2^53: every integer with a smaller magnitude is exactly representable as a `Double`.
    private static let exactIntegerLimit: Double = 9_007_199_254_740_992

    /// 10^6: below this, Go's shortest `%g` writes integers as plain digits.
    private static let goPlainIntegerLimit: Double = 1_000_000

    // MARK: - Public entry points

    /// Appends a sample value that Go's `strconv.ParseFloat` parses back to exactly `v`.
    ///
    /// - Specials are spelled `+Inf`, `-Inf` and `NaN`.
    /// - Integral values with `|v| < 2^53` are written as plain integer digits (no allocation).
    ///   Negative zero is written as `0`, like the Go reference encoder (`expfmt`) does.
    /// - Everything else uses shortest round-trip digits in Go's `'g'` layout, with exponent form
    ///   only when the decimal exponent is `< -4` or `>= 21` (``valueExponentThreshold``).
    package static func appendValue(_ v: Double, to out: inout [UInt8]) {
        appendNumber(
            v,
            plainIntegerLimit: exactIntegerLimit,
            signedZero: false,
            exponentThreshold: valueExponentThreshold,
            to: &out
        )
    }

    /// Appends exactly what Go's `strconv.FormatFloat(v, 'g', -1, 64)` (or `fmt`'s `%g`) produces.
    ///
    /// Shortest round-trip digits; exponent form when the decimal exponent is `< -4` or `>= 6`;
    /// the exponent carries a sign and at least two digits (`1e+06`, `1e-05`, `5e-324`).
    /// Specials are `+Inf`, `-Inf`, `NaN`; negative zero is `-0`, as in Go.
    package static func appendGo(_ v: Double, to out: inout [UInt8]) {
        appendNumber(
            v,
            plainIntegerLimit: goPlainIntegerLimit,
            signedZero: true,
            exponentThreshold: goExponentThreshold,
            to: &out
        )
    }

    /// Appends the canonical histogram `le` label value for the bucket bound `v`.
    ///
    /// This is Go `%g` (see ``appendGo(_:to:)``) followed by `.0` when the result contains
    /// neither `.` nor `e`: `0.005`, `0.1`, `1.0`, `10.0`, `100000.0`, `1e+06`, `-1.0`.
    /// Infinity is `+Inf` (`-Inf` for negative infinity), NaN is `NaN`; negative zero is `-0.0`.
    package static func appendLeLabel(_ v: Double, to out: inout [UInt8]) {
        let start = out.count
        appendGo(v, to: &out)
        if v.isFinite, !out[start...].contains(where: { $0 == ASCII.dot || $0 == ASCII.lowerE }) {
            out.append(ASCII.dot)
            out.append(ASCII.zero)
        }
    }

    // MARK: - Building blocks

    /// Specials, then integers below `plainIntegerLimit` as plain digits (negative zero as `-0`
    /// only when `signedZero`), then shortest digits with exponent form from
    /// `exponentThreshold` on.
    @inline(__always)
    private static func appendNumber(
        _ v: Double,
        plainIntegerLimit: Double,
        signedZero: Bool,
        exponentThreshold: Int,
        to out: inout [UInt8]
    ) {
        if appendSpecial(v, to: &out) { return }
        if v.magnitude < plainIntegerLimit, v.rounded(.towardZero) == v {
            appendInteger(UInt64(v.magnitude), negative: signedZero ? v.sign == .minus : v < 0, to: &out)
            return
        }
        appendShortest(v, exponentThreshold: exponentThreshold, to: &out)
    }

    /// Appends `+Inf`, `-Inf` or `NaN` and returns `true` if `v` is one of those.
    private static func appendSpecial(_ v: Double, to out: inout [UInt8]) -> Bool {
        if v.isNaN {
            out.append(ASCII.upperN)
            out.append(ASCII.lowerA)
            out.append(ASCII.upperN)
            return true
        }
        if v.isInfinite {
            out.append(v < 0 ? ASCII.minus : ASCII.plus)
            out.append(ASCII.upperI)
            out.append(ASCII.lowerN)
            out.append(ASCII.lowerF)
            return true
        }
        return false
    }

    /// Appends the decimal digits of `magnitude`, preceded by `-` when `negative`.
    package static func appendInteger(_ magnitude: UInt64, negative: Bool = false, to out: inout [UInt8]) {
        if negative { out.append(ASCII.minus) }
        let start = out.count
        var m = magnitude
        repeat {
            out.append(ASCII.zero &+ UInt8(truncatingIfNeeded: m % 10))
            m /= 10
        } while m != 0
        out[start...].reverse()
    }

    /// Appends a finite `v` with shortest round-trip digits in Go's `'g'` layout, using
    /// exponent form when the decimal exponent is `< -4` or `>= exponentThreshold`.
    private static func appendShortest(_ v: Double, exponentThreshold: Int, to out: inout [UInt8]) {
        // Decimal digits d1 d2 ... dn (no leading/trailing zeros) with value 0.d1d2...dn × 10^dp.
        // A shortest Double has at most 17 significant digits; 24 leaves headroom.
        var digits = InlineArray<24, UInt8>(repeating: ASCII.zero)
        var count = 0
        var decimalPoint = 0
        var negative = false

        var inFraction = false
        var significantStarted = false
        var pendingZeros = 0
        var inExponent = false
        var exponentNegative = false
        var exponent = 0

        for byte in v.description.utf8 {
            if inExponent {
                switch byte {
                case ASCII.minus: exponentNegative = true
                case ASCII.zero...ASCII.nine: exponent = exponent &* 10 &+ Int(byte &- ASCII.zero)
                default: break
                }
                continue
            }
            switch byte {
            case ASCII.minus:
                negative = true
            case ASCII.dot:
                inFraction = true
            case ASCII.lowerE, ASCII.upperE:
                inExponent = true
            case ASCII.zero...ASCII.nine:
                if byte == ASCII.zero && !significantStarted {
                    if inFraction { decimalPoint -= 1 }
                    continue
                }
                significantStarted = true
                if !inFraction { decimalPoint += 1 }
                if byte == ASCII.zero {
                    pendingZeros += 1
                } else {
                    // Flush zeros that turned out not to be trailing, then the digit itself.
                    // Bounded by the 17 significant digits of a shortest Double; the guard only
                    // protects the fixed-size buffer.
                    while pendingZeros > 0, count < digits.count {
                        digits[count] = ASCII.zero
                        count += 1
                        pendingZeros -= 1
                    }
                    pendingZeros = 0
                    if count < digits.count {
                        digits[count] = byte
                        count += 1
                    }
                }
            default:
                break
            }
        }
        decimalPoint += exponentNegative ? -exponent : exponent

        if negative { out.append(ASCII.minus) }
        if count == 0 {
            out.append(ASCII.zero)
            return
        }

        let decimalExponent = decimalPoint - 1
        if decimalExponent < -4 || decimalExponent >= exponentThreshold {
            // %e: d.ddd e±XX
            out.append(digits[0])
            if count > 1 {
                out.append(ASCII.dot)
                for i in 1..<count { out.append(digits[i]) }
            }
            out.append(ASCII.lowerE)
            out.append(decimalExponent < 0 ? ASCII.minus : ASCII.plus)
            let magnitude = decimalExponent.magnitude
            if magnitude < 10 { out.append(ASCII.zero) }
            appendInteger(UInt64(magnitude), negative: false, to: &out)
        } else if decimalPoint <= 0 {
            // 0.000ddd
            out.append(ASCII.zero)
            out.append(ASCII.dot)
            for _ in 0 ..< -decimalPoint { out.append(ASCII.zero) }
            for i in 0..<count { out.append(digits[i]) }
        } else if decimalPoint >= count {
            // ddd000
            for i in 0..<count { out.append(digits[i]) }
            for _ in 0 ..< (decimalPoint - count) { out.append(ASCII.zero) }
        } else {
            // dd.ddd
            for i in 0..<decimalPoint { out.append(digits[i]) }
            out.append(ASCII.dot)
            for i in decimalPoint..<count { out.append(digits[i]) }
        }
    }
}
