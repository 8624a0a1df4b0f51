import LLMDevOpsFuzzSupport

/// The entry point SwiftPM links as `main` in package-scope builds (see `libFuzzerMain`).
@_cdecl("FuzzConfigYAML_main")
func FuzzConfigYAMLMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    libFuzzerMain(argc, argv)
}
