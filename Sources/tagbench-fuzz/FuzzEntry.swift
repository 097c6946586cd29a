// libFuzzer entry point for the command parser and the session and tag-set decoders.
// Build and run it with `make fuzz` (swift build -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING);
// the first input byte picks what is fuzzed.
import TagbenchCore

#if FUZZING
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
