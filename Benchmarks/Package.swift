// swift-tools-version: 6.1
// Micro-benchmarks of the hot primitives (ordo-one/benchmark), kept OUT of the root package so `swift build` and
// `swift test` of AeronTensorPool never build them. Run: `cd Benchmarks && swift package benchmark`
// (add `--filter offer` etc.; `swift package benchmark baseline update` to keep a baseline).
import PackageDescription

let package = Package(
    name: "AeronTensorPoolBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(name: "AeronTensorPool", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "HotPaths",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "AeronClient", package: "AeronTensorPool"),
                .product(name: "AeronDriver", package: "AeronTensorPool"),
                .product(name: "TensorPoolCore", package: "AeronTensorPool"),
                .product(name: "TensorPoolCodecs", package: "AeronTensorPool"),
            ],
            path: "Benchmarks/HotPaths",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
