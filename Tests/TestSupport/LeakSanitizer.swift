/// What the tests tell LeakSanitizer in AddressSanitizer builds (`LLMDEVOPS_ASAN`, set by
/// Package.swift for `Scripts/sanitize.sh address`); nothing in other builds.
public enum LeakSanitizer {
    /// Marks a `Foundation.Process` as not leaked, with everything it references.
    ///
    /// swift-corelibs-foundation's `Process` on Linux keeps itself alive after the child has
    /// exited and was waited for (a plain `Process` running `/bin/true`, waited for with
    /// `isRunning` or `waitUntilExit()`, reports its arguments, URL and environment as indirect
    /// leaks at exit; checked with swiftc 6.3.1 outside this project). Those allocations are made
    /// by our code (the arguments, the environment) but held only by the leaked `Process`, so a
    /// suppression by stack frame cannot name them; LeakSanitizer's
    /// `__lsan_ignore_object` ignores the object and what it reaches, and nothing else.
    public static func ignoreFoundationProcess(_ process: AnyObject) {
        #if LLMDEVOPS_ASAN
        __lsan_ignore_object(UnsafeRawPointer(Unmanaged.passUnretained(process).toOpaque()))
        #endif
    }
}

#if LLMDEVOPS_ASAN
/// LeakSanitizer: `void __lsan_ignore_object(const void *p)` (a pointer argument, passed alike
/// by Swift's and C's calling conventions).
@_silgen_name("__lsan_ignore_object")
private func __lsan_ignore_object(_ pointer: UnsafeRawPointer)
#endif
