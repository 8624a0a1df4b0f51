import LLMDevOpsFuzzSupport

/// The entry point SwiftPM links as `main` in package-scope builds (see `libFuzzerMain`).
@_cdecl("FuzzAuthorization_main")
func FuzzAuthorizationMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    libFuzzerMain(argc, argv)
}
