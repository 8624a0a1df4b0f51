/// Reads typed values from a fuzzer's input, front to back, in the manner of LLVM's
/// `FuzzedDataProvider`: every read succeeds (an exhausted input reads as zeros and empty
/// strings), so any byte string is a valid input and mutations keep their meaning.
public struct FuzzInput {
    private var bytes: ArraySlice<UInt8>

    /// Wraps the bytes libFuzzer passes to `LLVMFuzzerTestOneInput`.
    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        if let data, size > 0 {
            bytes = ArraySlice(UnsafeBufferPointer(start: data, count: size))
        } else {
            bytes = []
        }
    }

    /// Wraps bytes (for replaying an input in a test).
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes[...]
    }

    /// Whether every byte has been read.
    public var isEmpty: Bool { bytes.isEmpty }

    /// The next byte, or 0.
    public mutating func byte() -> UInt8 {
        bytes.popFirst() ?? 0
    }

    /// The next byte's low bit.
    public mutating func bool() -> Bool {
        byte() & 1 == 1
    }

    /// A number in `range` from the next one or two bytes.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = range.upperBound - range.lowerBound
        guard span > 0 else { return range.lowerBound }
        let raw = span < 256 ? Int(byte()) : Int(byte()) << 8 | Int(byte())
        return range.lowerBound + raw % (span + 1)
    }

    /// One of `choices`, chosen by the next byte.
    public mutating func pick<T>(_ choices: [T]) -> T {
        choices[int(in: 0...(choices.count - 1))]
    }

    /// Up to `maxCount` bytes: a length byte (modulo `maxCount + 1`), then that many bytes.
    public mutating func bytes(maxCount: Int) -> [UInt8] {
        let count = min(int(in: 0...maxCount), bytes.count)
        let taken = Array(bytes.prefix(count))
        bytes = bytes.dropFirst(count)
        return taken
    }

    /// A string of at most `maxBytes` UTF-8 bytes (invalid sequences repaired).
    public mutating func string(maxBytes: Int) -> String {
        String(decoding: bytes(maxCount: maxBytes), as: UTF8.self)
    }

    /// The bytes up to the next `separator` (consumed, not returned), or all that is left.
    public mutating func bytes(until separator: UInt8) -> [UInt8] {
        guard let index = bytes.firstIndex(of: separator) else { return remaining() }
        let taken = Array(bytes[..<index])
        bytes = bytes[(index + 1)...]
        return taken
    }

    /// A double from the next byte: special values and edge cases often, any bit pattern otherwise.
    public mutating func double() -> Double {
        switch byte() % 16 {
        case 0: return 0
        case 1: return -0.0
        case 2: return 1
        case 3: return -1
        case 4: return .infinity
        case 5: return -.infinity
        case 6: return .nan
        case 7: return .greatestFiniteMagnitude
        case 8: return .leastNonzeroMagnitude
        case 9: return 0.1
        case 10: return Double(int(in: 0...65535))
        case 11: return Double(int(in: 0...65535)) / 1000
        default:
            var bits: UInt64 = 0
            for _ in 0..<8 { bits = bits << 8 | UInt64(byte()) }
            return Double(bitPattern: bits)
        }
    }

    /// Everything not read yet.
    public mutating func remaining() -> [UInt8] {
        let rest = Array(bytes)
        bytes = []
        return rest
    }
}
