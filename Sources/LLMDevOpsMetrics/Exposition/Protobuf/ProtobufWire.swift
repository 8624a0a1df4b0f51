/// The protobuf wire encoding appended to a byte buffer, for what the protobuf exposition writes
/// once per family (the family's name, help, type and unit, and its length): varints, field
/// tags, strings, and length-delimited messages whose length is patched in after their content
/// is written. Series are written through a ``ProtobufCursor``, which uses the constants and
/// sizes here.
///
/// A message starts with a one-byte length placeholder (``beginMessage(_:into:)``); when it ends
/// (``endMessage(at:into:)``) a length below 128 goes into that byte and a longer one moves the
/// content right by the extra varint bytes. Small messages (labels, buckets, spans) never move;
/// a series' `Metric` and `Histogram` messages move within the series, and a family moves once.
enum ProtobufWire {
    /// Wire type 0: `int32`, `int64`, `uint32`, `uint64`, `sint32`, `sint64`, `bool`, `enum`.
    static let varint: UInt8 = 0
    /// Wire type 1: `fixed64`, `sfixed64`, `double`.
    static let fixed64: UInt8 = 1
    /// Wire type 2: strings, bytes, embedded messages.
    static let lengthDelimited: UInt8 = 2

    /// Appends the key of field `number` with `wireType` (field numbers up to 2^28).
    @inline(__always)
    static func appendTag(_ number: Int, _ wireType: UInt8, to out: inout [UInt8]) {
        appendVarint(UInt64(number) << 3 | UInt64(wireType), to: &out)
    }

    /// Appends `value` as a base-128 varint, least significant group first.
    @inline(__always)
    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    /// The number of bytes ``appendVarint(_:to:)`` writes for `value`.
    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        // 1 + floor(bits / 7), with 0 taking one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// ZigZag: `sint32` and `sint64` put small negative numbers in few bytes.
    @inline(__always)
    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// A varint field (`uint64`, `enum`, non-negative `int32`/`int64`).
    @inline(__always)
    static func appendVarintField(_ number: Int, _ value: UInt64, to out: inout [UInt8]) {
        appendTag(number, varint, to: &out)
        appendVarint(value, to: &out)
    }

    /// A `string` or `bytes` field.
    @inline(__always)
    static func appendBytesField(_ number: Int, _ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        appendTag(number, lengthDelimited, to: &out)
        appendVarint(UInt64(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }

    /// A `string` field.
    @inline(__always)
    static func appendStringField(_ number: Int, _ string: String, to out: inout [UInt8]) {
        appendBytesField(number, string.utf8, to: &out)
    }

    /// Starts an embedded message in field `number` (or, with `number` nil, a length-delimited
    /// top-level message); returns the mark ``endMessage(at:into:)`` needs.
    @inline(__always)
    static func beginMessage(_ number: Int?, into out: inout [UInt8]) -> Int {
        if let number { appendTag(number, lengthDelimited, to: &out) }
        out.append(0)
        return out.count
    }

    /// Writes the length of the message begun at `mark`, moving its content right when the
    /// length takes more than one byte.
    static func endMessage(at mark: Int, into out: inout [UInt8]) {
        let length = out.count - mark
        if length < 0x80 {
            out[mark - 1] = UInt8(length)
            return
        }
        let size = varintSize(UInt64(length))
        let extra = size - 1
        out.append(contentsOf: repeatElement(0, count: extra))
        out.withUnsafeMutableBytes { buffer in
            // Invariant, not input: mark is a position inside the buffer this function's caller
            // wrote, so the base address exists and the ranges lie within the buffer.
            let base = buffer.baseAddress.unsafelyUnwrapped
            (base + mark + extra).copyMemory(from: base + mark, byteCount: length)  // memmove
            var value = UInt64(length)
            var position = mark - 1
            while value >= 0x80 {
                buffer[position] = UInt8(truncatingIfNeeded: value) | 0x80
                value >>= 7
                position += 1
            }
            buffer[position] = UInt8(value)
        }
    }

    /// Drops a message begun at `mark` (and its tag or placeholder) again: everything from
    /// `start`, the buffer's size before ``beginMessage(_:into:)``.
    @inline(__always)
    static func discardMessage(from start: Int, into out: inout [UInt8]) {
        out.removeLast(out.count - start)
    }
}
