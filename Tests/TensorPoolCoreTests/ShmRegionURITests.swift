import Testing
@testable import TensorPoolCore

@Suite struct ShmRegionURITests {
    static let accepted: [(String, String, Bool)] = [
        ("shm:file?path=/dev/shm/tp/1/header.ring", "/dev/shm/tp/1/header.ring", false),
        ("shm:file?path=/dev/hugepages/p|require_hugepages=true", "/dev/hugepages/p", true),
        ("shm:file?path=/a|require_hugepages=false", "/a", false),
        ("shm:file?require_hugepages=true|path=/x/y", "/x/y", true),
        // '&' and '=' are VCHARs: per the ABNF this is one path, not a second parameter.
        ("shm:file?path=/a&require_hugepages=true", "/a&require_hugepages=true", false),
    ]

    @Test(arguments: accepted)
    func parsesValidURIs(_ text: String, _ path: String, _ huge: Bool) throws {
        let uri = try ShmRegionURI(parsing: text)
        #expect(uri.path == path)
        #expect(uri.requireHugepages == huge)
        #expect(try ShmRegionURI(parsing: uri.description) == uri)
    }

    static let rejected: [(String, ShmURIError)] = [
        ("shm:memfd?path=/a", .unsupportedScheme("shm:memfd")),
        ("aeron:ipc", .unsupportedScheme("aeron:ipc")),
        ("file:///dev/shm/a", .unsupportedScheme("file:///dev/shm/a")),
        ("", .unsupportedScheme("")),
        ("shm:file?", .malformedParameter("")),
        ("shm:file?path", .malformedParameter("path")),
        ("shm:file?path=", .emptyPath),
        ("shm:file?path=relative/a", .relativePath("relative/a")),
        ("shm:file?path=/a b", .invalidPathCharacter(path: "/a b", byte: 0x20)),
        ("shm:file?path=/a?b", .invalidPathCharacter(path: "/a?b", byte: UInt8(ascii: "?"))),
        ("shm:file?path=/a\u{01}", .invalidPathCharacter(path: "/a\u{01}", byte: 1)),
        ("shm:file?require_hugepages=true", .missingPath),
        ("shm:file?path=/a|require_hugepages=yes", .invalidBoolean(parameter: "require_hugepages", value: "yes")),
        ("shm:file?path=/a|require_hugepages=TRUE", .invalidBoolean(parameter: "require_hugepages", value: "TRUE")),
        ("shm:file?path=/a|require_hugepages=", .invalidBoolean(parameter: "require_hugepages", value: "")),
        ("shm:file?path=/a|mode=0600", .unknownParameter("mode")),
        ("shm:file?path=/a|path=/b", .duplicateParameter("path")),
        ("shm:file?path=/a|require_hugepages=true|require_hugepages=false", .duplicateParameter("require_hugepages")),
        ("shm:file?path=/a|", .malformedParameter("")),
    ]

    @Test(arguments: rejected)
    func rejectsInvalidURIs(_ text: String, _ expected: ShmURIError) {
        #expect(throws: expected) { try ShmRegionURI(parsing: text) }
    }

    @Test func errorMessagesNameTheProblem() {
        #expect(ShmURIError.unknownParameter("mode").description.contains("'mode'"))
        #expect(ShmURIError.duplicateParameter("path").description.contains("duplicate"))
        #expect(ShmURIError.invalidBoolean(parameter: "require_hugepages", value: "1").description.contains("'1'"))
        #expect(ShmURIError.unsupportedScheme("shm:memfd").description.contains("shm:memfd"))
    }
}
