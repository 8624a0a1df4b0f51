import LLMDevOpsFuzzSupport

/// The entry point SwiftPM links as `main` in package-scope builds (see `libFuzzerMain`).
@_cdecl("FuzzExpositionParser_main")
func FuzzExpositionParserMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    libFuzzerMain(argc, argv)
}
