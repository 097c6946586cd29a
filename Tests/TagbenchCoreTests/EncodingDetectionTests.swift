import Foundation
import Testing
@testable import TagbenchCore

/// `--encoding auto` tells UTF-16 without a BOM by its zero bytes, in either byte order, instead
/// of decoding it as GB18030 mojibake.
struct EncodingDetectionTests {
    @Test(arguments: [("utf-16le", TextEncoding.utf16le), ("utf-16be", .utf16be)])
    func utf16WithoutABOMIsDetected(name: String, expected: TextEncoding) throws {
        let dir = try Fixture.workspace()
        let text = try String(contentsOfFile: dir + "/Fixtures/corpus/xinqu-2023.txt", encoding: .utf8)
        let data = try #require(text.data(using: name == "utf-16le" ? .utf16LittleEndian : .utf16BigEndian))
        #expect(!data.starts(with: [0xFF, 0xFE]) && !data.starts(with: [0xFE, 0xFF]))
        try data.write(to: URL(fileURLWithPath: dir + "/x.txt"))
        #expect(TextEncoding.detect([UInt8](data)) == expected)
        let h = EngineHarness(directory: dir)
        try h.run("load --encoding auto x.txt")
        #expect(h.engine.session.documents[0].bytes == Array(text.utf8))
        #expect(h.engine.session.documents[0].encoding == expected)
        // Without --encoding: refused, with a hint that names the way.
        let plain = EngineHarness(directory: dir)
        let error = plain.failure("load x.txt")
        #expect(error?.hint?.contains("--encoding auto") == true, "\(String(describing: error))")
    }

    @Test func utf8AndGB18030AreNotTakenForUTF16() throws {
        let dir = try Fixture.workspace()
        let utf8 = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/Fixtures/corpus/xinqu-2023.txt")))
        let gb = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/Fixtures/encodings/gb18030.txt")))
        #expect(TextEncoding.detect(utf8) == .utf8)
        #expect(TextEncoding.detect(gb) == .gb18030)
    }
}
