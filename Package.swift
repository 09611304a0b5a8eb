// swift-tools-version: 6.1
// Layering (lower never imports higher):
//   SBE  <-  TensorPoolCodecs  <-  TensorPoolCore  <-  TensorPool (roles)  <-  tp
//   SBE  <-  TensorPoolBridgeCodecs  <-  TensorPool (bridge roles)
//   SBE  <-  SBEGenerator  <-  sbe-swift
//   SharedMemory  <-  TensorPoolCore
//   CSystemShims, SharedMemory  <-  AeronConcurrent  <-  AeronClient / AeronDriver  <-  TensorPool  <-  tp
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "AeronTensorPool",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SBE", targets: ["SBE"]),
        .library(name: "TensorPoolCodecs", targets: ["TensorPoolCodecs"]),
        .library(name: "TensorPoolCore", targets: ["TensorPoolCore"]),
        .library(name: "AeronClient", targets: ["AeronClient"]),
        .library(name: "AeronDriver", targets: ["AeronDriver"]),
        .library(name: "TensorPool", targets: ["TensorPool"]),
        .executable(name: "tp", targets: ["tp"]),
        .executable(name: "sbe-swift", targets: ["sbe-swift"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // Thin C wrappers for syscalls Glibc does not expose to Swift (statfs, futex, affinity, ...).
        .target(name: "CSystemShims", cSettings: [.define("_GNU_SOURCE")]),

        // The audited unsafe layer: mapped files and the atomic buffer view over them.
        .target(name: "SharedMemory", swiftSettings: swiftSettings),

        // SBE runtime: buffer access, message header, errors shared by every generated codec.
        .target(name: "SBE", swiftSettings: swiftSettings),
        // SBE XML schema -> Swift flyweight codec generator (library, so tests can drive it in-process).
        .target(name: "SBEGenerator", dependencies: ["SBE"], swiftSettings: swiftSettings),
        .executableTarget(name: "sbe-swift", dependencies: ["SBEGenerator"], swiftSettings: swiftSettings),
        // Generated from schemas/tensor-pool.xml by sbe-swift; committed, checked by a regeneration test.
        .target(name: "TensorPoolCodecs", dependencies: ["SBE"], exclude: ["README.md"], swiftSettings: swiftSettings),
        // Generated from schemas/tensor-pool-bridge.xml (schema 901, bridge wire format) by sbe-swift; committed.
        .target(name: "TensorPoolBridgeCodecs", dependencies: ["SBE"], exclude: ["README.md"], swiftSettings: swiftSettings),

        // Shared-memory regions, slot headers, the seqlock.
        .target(name: "TensorPoolCore", dependencies: ["TensorPoolCodecs", "SharedMemory", "CSystemShims"], exclude: ["README.md"], swiftSettings: swiftSettings),

        // Aeron: low-level shared structures used by both client and driver (one implementation of each).
        .target(name: "AeronConcurrent", dependencies: ["SharedMemory", "CSystemShims"], swiftSettings: swiftSettings),
        .target(name: "AeronClient", dependencies: ["AeronConcurrent", "CSystemShims"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "AeronDriver", dependencies: ["AeronConcurrent"], exclude: ["README.md"], swiftSettings: swiftSettings),

        // Tensor-pool roles: producer, consumer, supervisor, configuration.
        .target(
            name: "TensorPool",
            dependencies: [
                "TensorPoolCore", "TensorPoolCodecs", "SBE", "AeronClient", "AeronDriver",
                .product(name: "TOMLKit", package: "TOMLKit"),
                "TensorPoolBridgeCodecs",
            ],
            exclude: ["README.md", "Runtime/README.md"],
            swiftSettings: swiftSettings),

        .executableTarget(
            name: "tp",
            dependencies: [
                "TensorPool", "TensorPoolCore", "TensorPoolCodecs", "AeronClient", "AeronDriver", "SBE",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: swiftSettings),

        // Test-only malloc interposer: exact per-thread allocation counts for zero-allocation proofs.
        .target(name: "MallocCounter", path: "Tests/MallocCounter"),
        // Test-only harness driving the real Aeron C client/driver (pyaeron wheel) via Tests/Interop/aeron_peer.py.
        .target(name: "AeronInteropSupport", path: "Tests/AeronInteropSupport", swiftSettings: swiftSettings),
        .testTarget(name: "AeronInteropTests", dependencies: ["AeronInteropSupport"], swiftSettings: swiftSettings),

        .testTarget(name: "SharedMemoryTests", dependencies: ["SharedMemory", "MallocCounter", "AeronInteropSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SBETests", dependencies: ["SBE", "MallocCounter"], swiftSettings: swiftSettings),
        .testTarget(name: "SBEGeneratorTests", dependencies: ["SBEGenerator", "SBE", "MallocCounter", "sbe-swift", "AeronInteropSupport"], exclude: ["Resources"], swiftSettings: swiftSettings),
        .testTarget(name: "TensorPoolCodecsTests", dependencies: ["TensorPoolCodecs", "SBEGenerator", "MallocCounter", "tp", "AeronInteropSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "TensorPoolCoreTests", dependencies: ["TensorPoolCore", "MallocCounter", "tp", "AeronInteropSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "AeronConcurrentTests", dependencies: ["AeronConcurrent", "MallocCounter"], swiftSettings: swiftSettings),
        .testTarget(name: "AeronClientTests", dependencies: ["AeronClient", "AeronDriver", "MallocCounter", "tp", "AeronInteropSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "AeronDriverTests", dependencies: ["AeronDriver", "AeronClient", "MallocCounter", "tp", "AeronInteropSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "TensorPoolTests", dependencies: ["TensorPool", "TensorPoolCore", "TensorPoolCodecs", "AeronClient", "AeronDriver", "MallocCounter", "AeronInteropSupport", "TensorPoolBridgeCodecs"], swiftSettings: swiftSettings),
        .testTarget(name: "SystemTests", dependencies: ["tp", "TensorPool", "AeronInteropSupport"], swiftSettings: swiftSettings),
    ]
)
