// swift-tools-version:6.2

import PackageDescription

let package = Package(
    name: "llmdevops-metrics",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LLMDevOpsMetrics", targets: ["LLMDevOpsMetrics"]),
        .library(name: "LLMDevOpsMetricsTesting", targets: ["LLMDevOpsMetricsTesting"]),
        .library(name: "LLMDevOpsCollectors", targets: ["LLMDevOpsCollectors"]),
        .library(name: "LLMDevOpsSidecarEmitter", targets: ["LLMDevOpsSidecarEmitter"]),
        .library(name: "LLMDevOpsMetricsServer", targets: ["LLMDevOpsMetricsServer"]),
        .executable(name: "llmdevops-metrics", targets: ["llmdevops-metrics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .target(
            name: "LLMDevOpsMetrics",
            dependencies: [
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .target(
            name: "LLMDevOpsMetricsTesting",
            dependencies: ["LLMDevOpsMetrics"]
        ),
        .target(name: "CGlibcMalloc"),
        .target(
            name: "LLMDevOpsCollectors",
            dependencies: [
                "LLMDevOpsMetrics",
                "CGlibcMalloc",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The sidecar deployment's client: SwiftNIO lives here, so LLMDevOpsCollectors stays free of it.
        .target(
            name: "LLMDevOpsSidecarEmitter",
            dependencies: [
                "LLMDevOpsCollectors",
                "LLMDevOpsMetrics",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "LLMDevOpsMetricsServer",
            dependencies: [
                "LLMDevOpsMetrics",
                "LLMDevOpsCollectors",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "llmdevops-metrics",
            dependencies: [
                "LLMDevOpsMetrics",
                "LLMDevOpsCollectors",
                "LLMDevOpsMetricsServer",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A second process for the sidecar tests and the socket throughput figure: sends a
        // seeded synthetic workload through SidecarEmitter and prints its statistics as JSON.
        .executableTarget(
            name: "llmdevops-sidecar-load",
            dependencies: [
                "LLMDevOpsMetrics",
                "LLMDevOpsCollectors",
                "LLMDevOpsSidecarEmitter",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "LLMDevOpsMetricsServerTests",
            dependencies: [
                "LLMDevOpsTestSupport",
                "LLMDevOpsMetrics",
                "LLMDevOpsCollectors",
                "LLMDevOpsMetricsTesting",
                "LLMDevOpsMetricsServer",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Process running and tool errors shared by the test targets (not a product).
        .target(name: "LLMDevOpsTestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "LLMDevOpsMetricsTests",
            dependencies: [
                "LLMDevOpsMetrics",
                "LLMDevOpsTestSupport",
                "LLMDevOpsMetricsTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "LLMDevOpsCollectorsTests",
            dependencies: [
                "LLMDevOpsTestSupport",
                "LLMDevOpsCollectors",
                "LLMDevOpsMetrics",
                "LLMDevOpsMetricsTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "LLMDevOpsSidecarEmitterTests",
            dependencies: [
                "LLMDevOpsSidecarEmitter",
                "LLMDevOpsTestSupport",
                "LLMDevOpsCollectors",
                "LLMDevOpsMetrics",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "LLMDevOpsMetricsTestingTests",
            dependencies: ["LLMDevOpsMetricsTesting", "LLMDevOpsMetrics"]
        ),
        .testTarget(
            name: "LLMDevOpsConfigTests",
            dependencies: [
                "LLMDevOpsMetricsTesting",
                "LLMDevOpsMetrics",
                "LLMDevOpsTestSupport",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ]
)

// libFuzzer targets, only when `LLMDEVOPS_FUZZ=1` (Scripts/fuzz.sh builds them with
// `--sanitize=fuzzer --sanitize=address` into .build-fuzz), so that normal builds are unchanged.
// Each is an executable whose `LLVMFuzzerTestOneInput` (`@_cdecl`) libFuzzer's `main` calls,
// hence `-parse-as-library`. They are part of this package, so `package` symbols are visible.
if Context.environment["LLMDEVOPS_FUZZ"] == "1" {
    package.targets.append(
        .target(
            name: "LLMDevOpsFuzzSupport", dependencies: ["LLMDevOpsMetrics"], path: "Tests/Fuzz/Support"))
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzSidecarLine", [
            "LLMDevOpsMetrics", "LLMDevOpsMetricsServer", "LLMDevOpsCollectors",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
        ("FuzzAccept", ["LLMDevOpsMetrics", "LLMDevOpsMetricsServer", "LLMDevOpsMetricsTesting"]),
        ("FuzzAuthorization", ["LLMDevOpsMetricsServer", .product(name: "Crypto", package: "swift-crypto")]),
        ("FuzzConfigYAML", ["LLMDevOpsMetricsServer"]),
        ("FuzzNames", ["LLMDevOpsMetrics"]),
        ("FuzzLabelScreen", ["LLMDevOpsMetrics", "LLMDevOpsMetricsTesting"]),
        ("FuzzExpositionParser", ["LLMDevOpsMetricsTesting"]),
        ("FuzzExpositionRoundTrip", ["LLMDevOpsMetrics", "LLMDevOpsMetricsTesting"]),
    ]
    for target in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: target.name,
                dependencies: ["LLMDevOpsFuzzSupport"] + target.dependencies,
                path: "Tests/Fuzz/Targets/\(target.name)",
                swiftSettings: [.unsafeFlags(["-parse-as-library"])]
            ))
        package.products.append(.executable(name: target.name, targets: [target.name]))
    }
}

// ThreadSanitizer builds (`LLMDEVOPS_SANITIZER=thread`, set by Scripts/sanitize.sh) compile
// `Lock` as a pthread mutex, whose lock and unlock TSan sees (it does not see the futex calls of
// `Synchronization.Mutex` on Linux). AddressSanitizer builds (`LLMDEVOPS_SANITIZER=address`) get
// `LLMDEVOPS_ASAN`, which the test support uses to tell LeakSanitizer about Foundation's
// `Process` leak. Every other build is unaffected.
let sanitizer = Context.environment["LLMDEVOPS_SANITIZER"]
let threadSanitizerBuild = sanitizer == "thread"
// `LLMDEVOPS_SANITIZE_SCOPE=package` (Scripts/sanitize.sh's default) compiles and links this
// package's own targets with `-sanitize=<LLMDEVOPS_SANITIZER>` and leaves the dependencies as a
// normal debug build has them, so the sanitizer build reuses their objects instead of building
// them again (`swift build --sanitize=` instruments everything, dependencies included).
let packageSanitizer = Context.environment["LLMDEVOPS_SANITIZE_SCOPE"] == "package" ? sanitizer : nil

// CGlibcMalloc is C (it exposes glibc's mallinfo2 to the runtime collector): no Swift settings.
for target in package.targets where [.executable, .test, .regular].contains(target.type) && target.name != "CGlibcMalloc" {
    var settings = target.swiftSettings ?? []
    if threadSanitizerBuild {
        settings.append(.define("LLMDEVOPS_TSAN"))
    }
    if sanitizer == "address" {
        settings.append(.define("LLMDEVOPS_ASAN"))
    }
    if let packageSanitizer {
        settings.append(.unsafeFlags(["-sanitize=\(packageSanitizer)"]))
        target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(["-sanitize=\(packageSanitizer)"])]
    }
    // Require `any` for existential types.
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    // Imports are visible only to the files that declare them.
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    // Imports are internal unless marked otherwise, so nothing leaks into our public API by accident.
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    // Nonisolated async functions run on the caller's actor.
    settings.append(.enableUpcomingFeature("NonisolatedNonsendingByDefault"))
    target.swiftSettings = settings
}
