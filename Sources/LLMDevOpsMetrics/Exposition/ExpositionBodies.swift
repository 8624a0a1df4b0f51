/// The bytes of one rendered exposition and, when they were asked for, their gzip compression:
/// what ``RegistryActor/bodies(for:gzip:)`` returns.
public struct ExpositionBodies: Sendable, Hashable {
    /// The uncompressed exposition.
    public let plain: [UInt8]
    /// The gzip-compressed exposition; `nil` when gzip was not asked for or the compressor
    /// declined (for example because the body is below a minimum size).
    public let gzip: [UInt8]?

    init(plain: [UInt8], gzip: [UInt8]?) {
        self.plain = plain
        self.gzip = gzip
    }
}
