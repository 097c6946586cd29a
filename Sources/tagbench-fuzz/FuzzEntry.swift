// libFuzzer entry point for the command parser and the session and tag-set decoders.
// Build and run it with `make fuzz` (swift build -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING);
// the first input byte picks what is fuzzed.
import TagbenchCore

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry point under this name; libFuzzer's driver takes over.
@_cdecl("tagbench_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzz)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 3 {
    case 0:
        if let command = try? CommandParser.parse(String(decoding: bytes, as: UTF8.self)) {
            // What parses must render back to itself.
            precondition((try? CommandParser.parse(CommandRenderer.render(command))) == command)
        }
    case 1:
        _ = try? SessionCodec.decode(bytes, path: "/nonexistent/fuzz.json", displayPath: "fuzz.json")
    default:
        _ = try? TagSetCodec.decode(bytes, displayPath: "fuzz.json")
    }
    return 0
}
#else
@main
struct FuzzUsage {
    static func main() {
        print("tagbench-fuzz is a libFuzzer target: build and run it with make fuzz")
    }
}
#endif
