// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "tagbench",
    // No `platforms`: the suite runs on Linux only (CI, Debian), there in two builds, the usual one
    // and one with every processor-specific path off (`make test-portable`); no other platform is
    // claimed until a build there proves it.
    products: [
        .executable(name: "tagbench", targets: ["tagbench"]),
        .library(name: "TagbenchCore", targets: ["TagbenchCore"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // C, in three targets by purpose, so that each header declares only what its callers use and
        // what depends on the processor or on Linux is found in one place each. -DTB_PORTABLE turns
        // off every path that depends on the processor or is Linux-only tuning (`make test-portable`).
        //
        // Portable byte algorithms: the one-pass text scan (UTF-8 check, code points, block index),
        // the multi-term search, the JSON run finder, the reader of an annotation object as the
        // session writer lays it out, memmem and memrchr (not exposed by Swift's Glibc module); each
        // in portable C, with an AVX2 path chosen at run time where the processor has it. Functions of
        // their bytes alone: no system call, nothing of the operating system.
        .target(name: "CTagbenchBytes"),
        // SHA-256 on its own: the manifests' and the hash cache's only hash, with the processor's SHA
        // extensions where it has them; our C rather than swift-crypto, which would cost build time.
        .target(name: "CTagbenchSHA256"),
        // Process and operating-system code: SIGINT/SIGTERM deferred during an export, temporary
        // files removed on those signals, threads of their own for regex searches, the regex
        // worker's spawn, the early writeback of a file being saved. POSIX, with Linux-only tuning
        // (sync_file_range, SCHED_IDLE) behind `__linux__` and a portable fallback; no byte work.
        .target(name: "CTagbenchSystem"),
        // The pure core: documents, spans, commands, the engine, sessions and exports. No terminal.
        .target(
            name: "TagbenchCore",
            dependencies: ["CTagbenchBytes", "CTagbenchSHA256", "CTagbenchSystem"]
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
                "CTagbenchSystem",
                "CLibEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]
        ),
        .executableTarget(name: "tagbench", dependencies: ["TagbenchCLI", "TagbenchCore"]),
        // A libFuzzer target (make fuzz); an ordinary build makes a stub that says how to run it.
        .executableTarget(name: "tagbench-fuzz", dependencies: ["TagbenchCore"]),
        .testTarget(
            name: "TagbenchCoreTests",
            dependencies: ["TagbenchCore", "CTagbenchBytes", "CTagbenchSHA256"]
        ),
        .testTarget(name: "TagbenchCLITests", dependencies: ["TagbenchCLI", "TagbenchCore"])
    ]
)
