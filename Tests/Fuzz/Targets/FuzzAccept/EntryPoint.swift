import LLMDevOpsFuzzSupport

/// The entry point SwiftPM links as `main` in package-scope builds (see `libFuzzerMain`).
@_cdecl("FuzzAccept_main")
func FuzzAcceptMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    libFuzzerMain(argc, argv)
}
