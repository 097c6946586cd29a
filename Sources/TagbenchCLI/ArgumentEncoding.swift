#if canImport(Glibc)
    import Glibc
#endif
import TagbenchCore

/// Arguments must be UTF-8: the command line's parser reads them as Strings, which put U+FFFD
/// in place of bytes that are not UTF-8, so two different file names (say two GBK ones) would
/// name the same file, and neither the one meant.
public enum ArgumentEncoding {
    /// Shows the error and exits with status 64 (a usage error) when an argument is not valid
    /// UTF-8. Called first thing, before the arguments are parsed.
    public static func ensureUTF8() {
        for index in 1..<Int(CommandLine.argc) {
            guard let argument = CommandLine.unsafeArgv[index] else { continue }
            let bytes = UnsafeBufferPointer(
                start: UnsafeRawPointer(argument).assumingMemoryBound(to: UInt8.self), count: strlen(argument))
            guard String(validating: bytes, as: UTF8.self) == nil else { continue }
            let console = Console.standard(environment: CLIEnvironment.current().variables)
            _ = failure(.argumentNotUTF8(index: index, shown: String(decoding: bytes, as: UTF8.self)), console: console)
            exit(64)
        }
    }
}
