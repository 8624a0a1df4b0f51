/// The step at which an ``ApplyPass`` stopped, and the asynchronous work (creating a series in
/// its family) after which a new pass can apply it.
struct ApplyMiss: Sendable {
    /// The step to start the next pass at.
    let step: Int
    /// Creates what the step needs; false when it cannot be created (the step is then skipped).
    let resolve: @Sendable () async -> Bool
}
