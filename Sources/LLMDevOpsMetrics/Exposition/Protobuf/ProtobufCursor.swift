/// The protobuf wire encoding written through a ``ByteCursor``: what ``ProtobufWire`` appends
/// to an array, into capacity reserved once for a whole series (``ProtobufEncoder`` computes a
/// bound from the series' labels, buckets and exemplars), so that the many small fields of a
/// `Metric` message cost one capacity check rather than one per byte.
///
/// Every `…Bound` constant is the most bytes the matching write takes; whoever reserves adds
/// them up. A nested message counts ``messageBound`` for its tag and length: it starts with a
/// one-byte length placeholder, and when its content turns out to take 128 bytes or more,
/// ``endMessage(at:)`` moves the content right by the extra length bytes (at most four), which
/// the bound has room for.
struct ProtobufCursor {
    private(set) var bytes: ByteCursor

    init(_ bytes: ByteCursor) {
        self.bytes = bytes
    }

    /// A tag (field numbers below 2^11) and a length varint (below 2^35).
    static let messageBound = 2 + 5
    /// A varint field (a tag below 2^11 and a 64-bit value).
    static let varintFieldBound = 2 + 10
    /// A `double` field.
    static let doubleFieldBound = 2 + 8
    /// A `google.protobuf.Timestamp` field.
    static let timestampFieldBound = messageBound + 2 * varintFieldBound

    /// The most bytes a length-delimited field of `count` bytes takes.
    @inline(__always)
    static func bytesFieldBound(_ count: Int) -> Int { messageBound + count }

    @inline(__always)
    mutating func tag(_ number: Int, _ wireType: UInt8) {
        varint(UInt64(number) << 3 | UInt64(wireType))
    }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        bytes.write(atMost: 10) { position in
            var value = value
            var written = 0
            while value >= 0x80 {
                position[written] = UInt8(truncatingIfNeeded: value) | 0x80
                value >>= 7
                written += 1
            }
            position[written] = UInt8(value)
            return written + 1
        }
    }

    @inline(__always)
    mutating func varintField(_ number: Int, _ value: UInt64) {
        tag(number, ProtobufWire.varint)
        varint(value)
    }

    @inline(__always)
    mutating func zigzagField(_ number: Int, _ value: Int64) {
        varintField(number, ProtobufWire.zigzag(value))
    }

    @inline(__always)
    mutating func doubleField(_ number: Int, _ value: Double) {
        tag(number, ProtobufWire.fixed64)
        bytes.write(atMost: 8) { position in
            UnsafeMutableRawPointer(position).storeBytes(of: value.bitPattern.littleEndian, as: UInt64.self)
            return 8
        }
    }

    @inline(__always)
    mutating func bytesField(_ number: Int, _ content: UnsafeRawBufferPointer) {
        tag(number, ProtobufWire.lengthDelimited)
        varint(UInt64(content.count))
        bytes.write(content)
    }

    @inline(__always)
    mutating func stringField(_ number: Int, _ string: String) {
        var string = string
        string.withUTF8 { bytesField(number, UnsafeRawBufferPointer($0)) }
    }

    /// Writes raw bytes (a field's content whose tag and length were written already).
    @inline(__always)
    mutating func write(_ content: UnsafeRawBufferPointer) {
        bytes.write(content)
    }

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        bytes.write(byte)
    }

    /// Starts an embedded message in field `number`; returns the mark ``endMessage(at:)`` needs.
    @inline(__always)
    mutating func beginMessage(_ number: Int) -> UnsafeMutablePointer<UInt8> {
        tag(number, ProtobufWire.lengthDelimited)
        bytes.write(0)
        return bytes.position
    }

    /// Writes the length of the message begun at `mark`, moving its content right when the
    /// length takes more than one byte.
    @inline(__always)
    mutating func endMessage(at mark: UnsafeMutablePointer<UInt8>) {
        let length = bytes.position - mark
        if length < 0x80 {
            (mark - 1).pointee = UInt8(truncatingIfNeeded: length)
            return
        }
        let size = ProtobufWire.varintSize(UInt64(length))
        bytes.insertGap(at: mark, width: size - 1)
        var value = UInt64(length)
        var position = mark - 1
        while value >= 0x80 {
            position.pointee = UInt8(truncatingIfNeeded: value) | 0x80
            value >>= 7
            position += 1
        }
        position.pointee = UInt8(value)
    }

    /// A `google.protobuf.Timestamp` message in field `number` for Unix `seconds`, rounded to
    /// the nanosecond (proto3: zero fields are left out).
    mutating func timestampField(_ number: Int, seconds: Double) {
        var whole = seconds.rounded(.down)
        var nanos = ((seconds - whole) * 1e9).rounded()
        if nanos >= 1e9 {
            whole += 1
            nanos -= 1e9
        }
        let mark = beginMessage(number)
        if let value = Int64(exactly: whole), value != 0 { varintField(1, UInt64(bitPattern: value)) }
        if nanos > 0 { varintField(2, UInt64(nanos)) }
        endMessage(at: mark)
    }
}

extension [UInt8] {
    /// Appends what `body` writes through a ``ProtobufCursor``, at most `bound` bytes: one
    /// capacity check for all of it.
    @inline(__always)
    mutating func appendProtobuf(atMost bound: Int, _ body: (inout ProtobufCursor) -> Void) {
        appendBytes(atMost: bound) { bytes in
            var cursor = ProtobufCursor(bytes)
            body(&cursor)
            bytes = cursor.bytes
        }
    }
}
