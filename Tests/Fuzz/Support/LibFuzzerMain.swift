/// libFuzzer's driver for builds where SwiftPM, not libFuzzer, decides the entry point.
///
/// `Scripts/fuzz.sh` with `FUZZ_SCOPE=package` compiles only this package's targets with
/// `-sanitize=fuzzer,address` (unsafe flags from Package.swift) and reuses the dependencies of
/// the normal debug build. SwiftPM then links each executable with `main` defined as
/// `<Target>_main` (it renames executables' entry points so tests can link them), and
/// libFuzzer's own `main` is not used; each target's `EntryPoint.swift` defines that symbol and
/// calls this, which runs the same driver libFuzzer's `main` would (`LLVMFuzzerRunDriver`,
/// libFuzzer's documented entry for programs with their own `main`). With `FUZZ_SCOPE=all`
/// (`swift build --sanitize=fuzzer`) SwiftPM keeps libFuzzer's `main` and this is not called.
public func libFuzzerMain(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, LLVMFuzzerTestOneInput)
}

/// libFuzzer: `int LLVMFuzzerRunDriver(int *argc, char ***argv,
/// int (*UserCb)(const uint8_t *Data, size_t Size))`. Pointer and integer arguments only, which
/// Swift's and C's calling conventions pass alike on the platforms we fuzz on (x86_64, arm64).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The target's `@_cdecl("LLVMFuzzerTestOneInput")` function, defined in each executable.
@_silgen_name("LLVMFuzzerTestOneInput")
private func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt
