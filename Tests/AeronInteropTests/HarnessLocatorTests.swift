import AeronInteropSupport
import Foundation
import Testing

@Suite struct HarnessLocatorTests {
    @Test func missingSharedObjectIsAnErrorThatSaysHowToInstallIt() throws {
        let emptyRoot = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("no-deps-\(UUID())")
        let error = #expect(throws: InteropError.self) {
            try PyAeron.sharedObjectPath(environment: ["TP_PYAERON_SO": "/nonexistent/_pyaeron.so"], repositoryRoot: emptyRoot)
        }
        let text = try #require(error).description
        #expect(text.contains("scripts/install-test-deps.sh"))
        #expect(text.contains("/nonexistent/_pyaeron.so"))
    }

    @Test func installedSharedObjectIsFound() throws {
        // Fails (not skips) until scripts/install-test-deps.sh has run, as every interop test does.
        let path = try PyAeron.sharedObjectPath()
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(path.hasSuffix(".so"))
    }

    @Test func repositoryRootHoldsThePeerScript() throws {
        let script = try RepositoryLayout.peerScript()
        #expect(FileManager.default.fileExists(atPath: script.path))
        #expect(FileManager.default.fileExists(atPath: try RepositoryLayout.root().appendingPathComponent("Package.swift").path))
    }

    @Test func missingExecutableIsAnErrorNamingTheSearchedDirectories() throws {
        let error = #expect(throws: InteropError.self) { try BuiltProducts.executable(named: "no-such-tool-\(UUID())") }
        guard case .executableNotFound(_, let searched)? = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(!searched.isEmpty)
    }

    @Test func builtProductsFindsTheRunningTestBundlesNeighbours() throws {
        // The test runner itself sits in the build products directory; anything built there is found by name.
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        var isDirectory: ObjCBool = false
        try #require(FileManager.default.fileExists(atPath: argv0.path, isDirectory: &isDirectory) && !isDirectory.boolValue)
        let found = try BuiltProducts.executable(named: argv0.lastPathComponent)
        #expect(found.standardizedFileURL.path == argv0.path)
    }

    @Test func temporaryDirectoriesAreUniqueAndRemoved() throws {
        let a = TemporaryAeronDirectory(prefix: "unique test")
        let b = TemporaryAeronDirectory(prefix: "unique test")
        #expect(a.path != b.path)
        #expect(!a.exists)
        try FileManager.default.createDirectory(atPath: a.path + "/nested", withIntermediateDirectories: true)
        #expect(a.exists)
        a.remove()
        #expect(!a.exists)
    }

    @Test func peerEventsParseJSONLines() throws {
        let event = try PeerEvent(line: #"{"event":"done","received":5,"errors":0,"timed_out":false,"rtt_ns":{"p50":1.5}}"#)
        #expect(event.name == "done")
        #expect(event.int("received") == 5)
        #expect(event.bool("timed_out") == false)
        #expect(event["rtt_ns"]?["p50"]?.double == 1.5)
        #expect(throws: InteropError.self) { try PeerEvent(line: "not json") }
        #expect(throws: InteropError.self) { try PeerEvent(line: #"{"no_event":1}"#) }
    }
}
