// libFuzzer entry point for the command parser, the session and tag-set decoders, the
// importers of annotated data (JSONL and Label Studio), the journal reader, the hash cache and
// the JSON reader on deeply nested input.
// Build and run it with `make fuzz` (swift build -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING);
// the first input byte picks what is fuzzed.
import TagbenchCore
#if canImport(Glibc)
    import Glibc
#endif

#if FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
    ) -> CInt

    /// SwiftPM links an executable's entry point under this name; libFuzzer's driver takes over.
    @_cdecl("tagbench_fuzz_main")
    func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        var count = argc
        var arguments = argv
        return runFuzzerDriver(&count, &arguments, fuzz)
    }

    /// libFuzzer's entry: one input, given to every reader under test.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        guard size > 0 else { return 0 }
        let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
        switch data[0] % 8 {
        case 0:
            if let command = try? CommandParser.parse(String(decoding: bytes, as: UTF8.self)) {
                // What parses must render back to itself.
                precondition((try? CommandParser.parse(CommandRenderer.render(command))) == command)
            }
        case 1:
            _ = try? SessionCodec.decode(bytes, path: "/nonexistent/fuzz.json", displayPath: "fuzz.json")
        case 2:
            _ = try? TagSetCodec.decode(bytes, displayPath: "fuzz.json")
        case 5:
            // The journal reader: any bytes give its whole records (and say whether one was torn).
            _ = Journal.parse(bytes)
        case 6:
            _ = try? HashCache.decode(bytes)
        case 7:
            // Deep nesting: the input's bytes choose brackets and braces, nested as deep as they go;
            // the reader must refuse past its limit, never overflow the stack.
            var nested: [UInt8] = []
            for b in bytes {
                nested.append(b & 1 == 0 ? UInt8(ascii: "[") : UInt8(ascii: "{"))
                if b & 1 == 1 { nested += Array("\"k\": ".utf8) }
            }
            for b in bytes.reversed() { nested.append(b & 1 == 0 ? UInt8(ascii: "]") : UInt8(ascii: "}")) }
            if var r = try? JSONReader(bytes: nested, path: "deep") { _ = try? r.skipValue() }
        default:
            // The importers read files: the input goes through one per process.
            let path = "/tmp/tagbench-fuzz-\(getpid())" + (data[0] % 8 == 3 ? ".jsonl" : ".json")
            guard (try? FileSystem.writeAtomically(bytes, to: path)) != nil else { return 0 }
            _ = try? AnnotatedDataReader.read(
                path, displayPath: "fuzz", kind: data[0] % 8 == 3 ? .jsonLines : .labelStudio)
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
