/// Writes bytes through a pointer into capacity reserved beforehand with
/// `[UInt8].appendBytes(atMost:_:)`, so that a run of small writes (the segments and numbers of
/// a sample line) costs one capacity check rather than one per write.
///
/// The writes themselves are unchecked: whoever reserves computes a bound that covers
/// everything it writes (debug builds assert each write against the end).
struct ByteCursor {
    private(set) var position: UnsafeMutablePointer<UInt8>
    private let end: UnsafeMutablePointer<UInt8>

    init(start: UnsafeMutablePointer<UInt8>, end: UnsafeMutablePointer<UInt8>) {
        self.position = start
        self.end = end
    }

    /// Bytes left before the reserved end.
    var remaining: Int { end - position }

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        assert(position < end, "write past the reserved bytes")
        position.initialize(to: byte)
        position += 1
    }

    @inline(__always)
    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        assert(bytes.count <= end - position, "write past the reserved bytes")
        UnsafeMutableRawPointer(position).copyMemory(from: base, byteCount: bytes.count)
        position += bytes.count
    }

    @inline(__always)
    mutating func write(_ text: StaticString) {
        write(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        write(UnsafeRawBufferPointer(bytes))
    }

    /// Moves what was written from `start` on `width` bytes right, leaving a gap of `width`
    /// bytes at `start` for the caller to fill (the protobuf encoder's message lengths).
    @inline(__always)
    mutating func insertGap(at start: UnsafeMutablePointer<UInt8>, width: Int) {
        assert(width <= end - position, "write past the reserved bytes")
        // copyMemory is a memmove: the ranges overlap.
        UnsafeMutableRawPointer(start + width).copyMemory(from: start, byteCount: position - start)
        position += width
    }

    /// Writes `byteCount` bytes produced by `body`, which receives the position and returns how
    /// many it wrote (at most `byteCount`).
    @inline(__always)
    mutating func write(atMost byteCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        assert(byteCount <= end - position, "write past the reserved bytes")
        position += body(position)
    }
}

extension [UInt8] {
    /// Appends what `body` writes through a ``ByteCursor``, which may be at most `bound` bytes:
    /// one capacity check (and at most one reallocation) for all of it.
    @inline(__always)
    mutating func appendBytes(atMost bound: Int, _ body: (inout ByteCursor) -> Void) {
        // Grow geometrically here, so that `append(addingCapacity:)` never reserves just enough
        // (which, line after line, would copy the buffer once per line).
        if capacity - count < bound { reserveCapacity(Swift.max(count + bound, capacity * 2)) }
        append(addingCapacity: bound) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                guard let base = buffer.baseAddress else { return }
                var cursor = ByteCursor(start: base + initialized, end: base + buffer.count)
                body(&cursor)
                // The standard library traps if this exceeds the reserved capacity.
                initialized = cursor.position - base
            }
        }
    }
}
