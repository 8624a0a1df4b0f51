import Testing

@testable import LLMDevOpsSidecarEmitter

/// How the driver cuts its batch into chunks of whole lines.
@Suite struct SidecarConnectionDriverTests {
    static func cut(_ text: String, limit: Int) -> (length: Int, lines: Int) {
        Array(text.utf8).withUnsafeBytes { SidecarConnectionDriver.wholeLines(in: $0, limit: limit) }
    }

    @Test(arguments: [
        // (batch, limit, expected length, expected lines)
        ("a\nbb\nccc\n", 100, 9, 3),  // everything fits
        ("a\nbb\nccc\n", 5, 5, 2),  // the last newline within the limit
        ("a\nbb\nccc\n", 4, 2, 1),
        ("aaaaaaaa\nb\n", 4, 9, 1),  // a line longer than the limit is one chunk
        ("a\n", 1, 2, 1),
        ("", 10, 0, 0),
    ])
    func chunksEndAtTheLastNewlineWithinTheLimit(batch: String, limit: Int, length: Int, lines: Int) {
        let chunk = Self.cut(batch, limit: limit)
        #expect(chunk.length == length)
        #expect(chunk.lines == lines)
    }

    @Test func cuttingABatchRepeatedlyCoversEveryLineOnce() {
        let batch = (0..<1000).map { "line-\($0)-" + String(repeating: "x", count: $0 % 97) + "\n" }.joined()
        var bytes = Array(batch.utf8)[...]
        var lines = 0
        var chunks = 0
        while !bytes.isEmpty {
            let chunk = Array(bytes).withUnsafeBytes { SidecarConnectionDriver.wholeLines(in: $0, limit: 512) }
            #expect(chunk.length > 0)
            #expect(bytes[bytes.startIndex + chunk.length - 1] == UInt8(ascii: "\n"))
            #expect(chunk.length <= 512)
            lines += chunk.lines
            chunks += 1
            bytes = bytes.dropFirst(chunk.length)
        }
        #expect(lines == 1000)
        #expect(chunks >= batch.utf8.count / 512)
    }
}
