public import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Trait where Self == TimeLimitTrait {
    /// A time limit of `minutes`, multiplied by `LLMDEVOPS_TIME_LIMIT_FACTOR` (a whole number,
    /// default 1). Time limits here guard against hangs; a sanitizer build runs the same work
    /// several times slower (ThreadSanitizer 5-15 times), so `Scripts/sanitize.sh` raises the
    /// factor for its runs. Normal runs are unchanged.
    public static func timeLimit(minutes: Int) -> Self {
        .timeLimit(.minutes(minutes * TimeLimitFactor.value))
    }
}

/// The multiplier for ``Testing/Trait/timeLimit(minutes:)`` and for the bounds tests put on
/// waiting for a state that has no event to wait on (a server's answer, a process's log line).
public enum TimeLimitFactor {
    public static let value: Int = {
        guard let text = ProcessInfo.processInfo.environment["LLMDEVOPS_TIME_LIMIT_FACTOR"], let factor = Int(text),
            factor >= 1
        else { return 1 }
        return factor
    }()
}
