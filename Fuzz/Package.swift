// swift-tools-version:6.0
// libFuzzer harnesses for LeanPulse's readers. A separate package, so the main build and CI never see the sanitizers.
// Build: swift build -c release --sanitize=fuzzer --sanitize=address   Run: ./run.sh FuzzCSV 600
import PackageDescription

let package = Package(
    name: "LeanPulseFuzz",
    dependencies: [.package(name: "LeanPulse", path: "..")],
    targets: [
        .executableTarget(name: "FuzzCSV", dependencies: [.product(name: "Ingest", package: "LeanPulse"),
                                                          .product(name: "LeanPulseCore", package: "LeanPulse")]),
        .executableTarget(name: "FuzzXML", dependencies: [.product(name: "Ingest", package: "LeanPulse"),
                                                          .product(name: "LeanPulseCore", package: "LeanPulse")]),
        .executableTarget(name: "FuzzPipelineFile", dependencies: [.product(name: "LeanPulseCore", package: "LeanPulse")]),
    ],
    swiftLanguageModes: [.v6]
)
