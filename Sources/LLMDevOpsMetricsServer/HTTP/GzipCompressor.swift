internal import CompressNIO
internal import NIOCore

/// gzip through zlib (compress-nio), at a fixed level.
struct GzipCompressor: Sendable {
    let level: Int32

    init(level: Int) {
        self.level = Int32(min(9, max(1, level)))
    }

    /// The gzip stream of `bytes`, or nil if zlib fails (the plain body is sent then).
    func compress(_ bytes: [UInt8]) -> [UInt8]? {
        var input = ByteBuffer(bytes: bytes)
        do {
            var output = try input.compress(
                with: .gzip, configuration: ZlibConfiguration(windowSize: 15, compressionLevel: level))
            return output.readBytes(length: output.readableBytes)
        } catch {
            return nil
        }
    }
}
