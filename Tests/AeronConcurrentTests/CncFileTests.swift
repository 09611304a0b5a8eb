import Testing
import Foundation
import SharedMemory
@testable import AeronConcurrent

@Suite struct CncFileTests {
    static func tempPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cnc-test-\(UInt64.random(in: 0...UInt64.max))")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    @Test func defaultLayoutMatchesTheCDriver() {
        let l = CncFileDescriptor.Layout.defaults
        #expect(l.toDriverBufferOffset == 128)
        #expect(l.toClientsBufferOffset == 1_049_472)
        #expect(l.countersMetadataBufferOffset == 2_098_176)
        #expect(l.countersValuesBufferOffset == 35_652_608)
        #expect(l.errorLogBufferOffset == 44_041_216)
        #expect(l.fileLength == 48_238_592)
        #expect(CncFileDescriptor.cncVersion == 512)
    }

    @Test func createThenOpenValidates() throws {
        let path = Self.tempPath("cnc.dat")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var layout = CncFileDescriptor.Layout.defaults
        layout.countersValuesBufferLength = 1_048_576
        layout.countersMetadataBufferLength = 4 * 1_048_576
        let created = try CncFile.create(path: path, layout: layout, startTimestampMs: 1234, pid: 42)
        #expect(created.file.length == 11_538_432)
        #expect(throws: CncFileError.notInitialised(path: path)) { try CncFile.open(path: path) }
        created.publishVersion()
        let opened = try CncFile.open(path: path)
        #expect(opened.layout == layout)
        #expect(opened.startTimestampMs == 1234)
        #expect(opened.pid == 42)
        #expect(opened.clientLivenessTimeoutNs == 10_000_000_000)
        #expect(opened.toClientsBuffer.capacity == 1_048_704)
        #expect(throws: CncFileError.self) { try CncFile.create(path: path, layout: layout, startTimestampMs: 0, pid: 0) }
    }

    @Test func rejectsOtherMajorVersionAndOldMinor() throws {
        #expect(throws: CncFileError.versionMismatch(file: 0x10200, expected: 512)) { try CncFile.checkVersion(0x10200) }
        #expect(throws: CncFileError.self) { try CncFile.checkVersion(0x100) }
        try CncFile.checkVersion(0x203)
    }

    @Test func rejectsMissingAndTruncatedFiles() throws {
        let path = Self.tempPath("cnc.dat")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        #expect(throws: CncFileError.notCreated(path: path)) { try CncFile.open(path: path) }
        let f = try MappedFile.create(path: path, length: 4096)
        f.buffer.setInt32(Int32(CncFileDescriptor.Layout.defaults.toDriverBufferLength), at: 4)
        f.buffer.setInt32(Int32(CncFileDescriptor.Layout.defaults.toClientsBufferLength), at: 8)
        f.buffer.setInt32(4 * 1_048_576, at: 12)
        f.buffer.setInt32(1_048_576, at: 16)
        f.buffer.setInt32(1_048_576, at: 20)
        f.buffer.setInt32Release(512, at: 0)
        #expect(throws: CncFileError.fileTooShort(required: CncFileDescriptor.Layout(metadata: f.buffer).requiredLength, actual: 4096)) { try CncFile.open(path: path) }
    }

    @Test func lossReportIsPageAlignedAndEmpty() throws {
        let path = Self.tempPath("loss-report.dat")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let file = try LossReportDescriptor.create(path: path, length: 1000)
        #expect(file.length == 4096)
        #expect(LossReportDescriptor.read(file.buffer).isEmpty)
    }
}
