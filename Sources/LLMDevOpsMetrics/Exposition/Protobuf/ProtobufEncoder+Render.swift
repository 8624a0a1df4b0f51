extension ProtobufEncoder {
    /// A whole protobuf exposition: the registered families (already in output order) merged
    /// with the snapshot families (sorted the same way), as ``RegistryActor/render(_:)`` merges
    /// them for the text formats, appended to `body`. Protobuf has no end marker.
    func render(
        _ registered: [any CollectableFamily],
        _ others: [FamilySnapshot],
        scratch: inout ProtobufScratch,
        into body: inout [UInt8]
    ) {
        var next = others.startIndex
        for family in registered {
            let descriptor = family.descriptor
            while next < others.endIndex, others[next].descriptor.precedes(descriptor, in: .protobuf) {
                encode(others[next], scratch: &scratch, into: &body)
                next += 1
            }
            family.encode(with: self, into: &body, scratch: &scratch)
        }
        for snapshot in others[next...] {
            encode(snapshot, scratch: &scratch, into: &body)
        }
    }
}
