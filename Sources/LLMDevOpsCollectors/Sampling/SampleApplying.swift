/// Applies a sampler's stream to its families (``ProcessSampleApplier``,
/// ``RuntimeSampleApplier``); owned by the one task that drains the stream.
protocol SampleApplying: Sendable {
    associatedtype Sample: SweepSample

    /// Applies one element of the stream.
    mutating func apply(_ sample: Sample) async
}
