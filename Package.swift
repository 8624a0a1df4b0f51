// swift-tools-version:6.2

import PackageDescription

let package = Package(
    name: "llmdevops-metrics",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LLMDevOpsMetrics", targets: ["LLMDevOpsMetrics"]),
        .library(name: "LLMDevOpsMetricsTesting", targets: ["LLMDevOpsMetricsTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
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
        .testTarget(
            name: "LLMDevOpsMetricsTests",
            dependencies: [
                "LLMDevOpsMetrics",
                "LLMDevOpsMetricsTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "LLMDevOpsMetricsTestingTests",
            dependencies: ["LLMDevOpsMetricsTesting", "LLMDevOpsMetrics"]
        ),
    ]
)

for target in package.targets where [.executable, .test, .regular].contains(target.type) {
    var settings = target.swiftSettings ?? []
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
