// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "tagbench",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tagbench", targets: ["tagbench"]),
        .library(name: "TagbenchCore", targets: ["TagbenchCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Byte-level helpers in C: memmem and memrchr (not exposed by Swift's Glibc module), the
        // one-pass text scan (UTF-8 check, code points, block index), the multi-term search, the
        // JSON run finder (AVX2 where the processor has it), SHA-256 (with the processor's SHA
        // extensions where it has them), the idle-priority thread and the huge-page hint.
        .target(name: "CTagbenchShims"),
        // The pure core: documents, spans, commands, the engine, sessions and exports. No terminal.
        .target(
            name: "TagbenchCore",
            dependencies: ["CTagbenchShims"]
        ),
        // libedit, imported by exactly one file of TagbenchCLI.
        .systemLibrary(
            name: "CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The REPL, rendering and the top-level commands.
        .target(
            name: "TagbenchCLI",
            dependencies: [
                "TagbenchCore",
                "CLibEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "tagbench", dependencies: ["TagbenchCLI", "TagbenchCore"]),
        // A libFuzzer target (make fuzz); an ordinary build makes a stub that says how to run it.
        .executableTarget(name: "tagbench-fuzz", dependencies: ["TagbenchCore"]),
        .testTarget(name: "TagbenchCoreTests", dependencies: ["TagbenchCore"]),
        .testTarget(name: "TagbenchCLITests", dependencies: ["TagbenchCLI", "TagbenchCore"]),
    ]
)
