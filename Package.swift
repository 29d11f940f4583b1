// swift-tools-version:6.0
// The dependency graph is the stage order: Ingest -> Normalize -> Store -> Compute -> Render.
// A stage imports LeanPulseCore (the boundary types) and never a later stage; Pipeline wires them.
import PackageDescription

let package = Package(
    name: "LeanPulse",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "leanpulse", targets: ["leanpulse"]),
        // Libraries for the fuzz harnesses in Fuzz/ (a separate package that depends on this one by path).
        .library(name: "LeanPulseCore", targets: ["LeanPulseCore"]),
        .library(name: "Ingest", targets: ["Ingest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(
            name: "LeanPulseCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "Ingest",
            dependencies: ["LeanPulseCore", "CLibXML2"]
        ),
        .target(
            name: "Normalize",
            dependencies: ["LeanPulseCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "Store",
            dependencies: [
                "LeanPulseCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .target(
            name: "Compute",
            dependencies: ["LeanPulseCore"]
        ),
        .target(
            name: "Render",
            dependencies: [
                "LeanPulseCore", .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Templates")]
        ),
        .target(
            name: "SampleGenerator",
            dependencies: ["LeanPulseCore"]
        ),
        .target(
            name: "Pipeline",
            dependencies: [
                "LeanPulseCore", "Ingest", "Normalize", "Store", "Compute", "Render", "SampleGenerator",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "leanpulse",
            dependencies: ["Pipeline", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Temporary files removed when the test that made them ends (`@Suite(.removesTemporaryFiles)`).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "CoreTests", dependencies: ["LeanPulseCore", "TestSupport"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "NormalizeTests", dependencies: ["Normalize", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ComputeTests", dependencies: ["Compute"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RenderTests", dependencies: ["Render", .product(name: "Mustache", package: "swift-mustache")], resources: [.copy("Golden")]),
        // Golden/ and Reference/ are read from the source tree (#filePath), not bundled.
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Store", "SampleGenerator", "TestSupport", .product(name: "Crypto", package: "swift-crypto"), .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio")], exclude: ["Golden", "Reference"]),
    ],
    swiftLanguageModes: [.v6]
)
