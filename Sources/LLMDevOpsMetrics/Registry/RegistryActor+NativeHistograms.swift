extension RegistryActor {
    /// The native bucket layout of a histogram family whose options ask for native buckets;
    /// nil for other families (their options' `nativeHistogram` is ignored).
    ///
    /// - Throws: ``MetricsError/Code/invalidNativeHistogram`` for options outside their ranges.
    static func nativeLayout(
        _ descriptor: MetricDescriptor,
        _ options: FamilyOptions,
        _ rawName: String
    ) throws(MetricsError) -> NativeBucketLayout? {
        guard descriptor.type == .histogram, let native = options.nativeHistogram else { return nil }
        try native.validate(metric: rawName)
        return NativeBucketLayout(native)
    }
}
