import AeronInteropSupport
import Foundation
import SharedMemory
import Testing

@Suite struct MappedFileTests {
    private func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("mf-\(UUID().uuidString)").path
    }

    @Test func createIsZeroFilledAndVisibleThroughASecondMapping() throws {
        let path = temporaryPath()
        defer { unlink(path) }
        let writer = try MappedFile.create(path: path, length: 8192)
        #expect(writer.buffer.bytes(at: 0, count: 8192).allSatisfy { $0 == 0 })
        writer.buffer.setUInt64(0xDEAD_BEEF, at: 100)
        try writer.sync()
        let reader = try MappedFile.open(path: path, writable: false)
        #expect(reader.length == 8192)
        #expect(!reader.isWritable)
        #expect(reader.buffer.uint64(at: 100) == 0xDEAD_BEEF)
    }

    /// A granularity sizes the file and the mapping in whole units (what hugetlbfs demands), while the buffer keeps
    /// the length asked for; a granularity that is not a power of two is refused before anything is created.
    @Test func granularityRoundsTheFileAndTheMappingNotTheBuffer() throws {
        let path = temporaryPath()
        defer { unlink(path) }
        let file = try MappedFile.create(path: path, length: 64 + 3 * 4096, granularity: 1 << 16)
        #expect(file.length == 64 + 3 * 4096 && file.buffer.capacity == 64 + 3 * 4096)
        #expect(file.mappedLength == 1 << 16)
        var st = stat()
        #expect(stat(path, &st) == 0 && st.st_size == 1 << 16)
        let plain = try MappedFile.open(path: path, writable: false)
        #expect(plain.length == 1 << 16 && plain.mappedLength == 1 << 16)

        let refused = temporaryPath()
        #expect(throws: SystemError("ftruncate", path: refused, errno: EINVAL)) {
            try MappedFile.create(path: refused, length: 4096, granularity: 3)
        }
        #expect(!FileManager.default.fileExists(atPath: refused))
    }

    /// A file that cannot get its blocks (here: more hugepages than are free, hugetlbfs's full disk) fails at
    /// `posix_fallocate` with ENOSPC and is removed, not left half-made; a pre-existing file reused with
    /// `exclusive: false` is left alone.
    @Test(.enabled(if: HugetlbfsDirectory.isEnabled, "TP_HUGETLBFS_DIR=off"))
    func aFileThatCannotGetItsBlocksIsRemoved() throws {
        let dir = try HugetlbfsDirectory("tp-mapped-file")
        let hugepage = 2 << 20
        let pages = try HugetlbfsDirectory.slotCountBeyondFreeHugepages()
        let path = dir.path + "/too-big"
        #expect(throws: SystemError("posix_fallocate", path: path, errno: ENOSPC)) {
            try MappedFile.create(path: path, length: pages * hugepage, granularity: hugepage)
        }
        #expect(!FileManager.default.fileExists(atPath: path))

        let kept = dir.path + "/kept"
        _ = try MappedFile.create(path: kept, length: hugepage, granularity: hugepage)
        #expect(throws: SystemError("posix_fallocate", path: kept, errno: ENOSPC)) {
            try MappedFile.create(path: kept, length: pages * hugepage, exclusive: false, granularity: hugepage)
        }
        #expect(FileManager.default.fileExists(atPath: kept))
    }

    @Test func exclusiveCreateRefusesExistingFile() throws {
        let path = temporaryPath()
        defer { unlink(path) }
        _ = try MappedFile.create(path: path, length: 4096)
        #expect(throws: SystemError.self) { try MappedFile.create(path: path, length: 4096) }
    }

    @Test func createRespectsUmaskAndMode() throws {
        let path = temporaryPath()
        defer { unlink(path) }
        _ = try MappedFile.create(path: path, length: 4096, permissions: 0o660)
        var st = stat()
        #expect(stat(path, &st) == 0)
        let mask = umask(0)
        umask(mask)
        #expect(st.st_mode & 0o777 == 0o660 & ~mask)
    }

    @Test func openErrorsNameTheFile() throws {
        let missing = temporaryPath()
        let error = #expect(throws: SystemError.self) { try MappedFile.open(path: missing, writable: false) }
        #expect(error?.errno == ENOENT)
        #expect(error?.description.contains(missing) == true)

        let short = temporaryPath()
        defer { unlink(short) }
        _ = try MappedFile.create(path: short, length: 100)
        #expect(throws: SystemError.self) { try MappedFile.open(path: short, writable: false, minimumLength: 4096) }
    }

    @Test func createRefusesToFollowSymlinks() throws {
        let target = temporaryPath()
        let link = temporaryPath()
        defer { unlink(target); unlink(link) }
        #expect(symlink(target, link) == 0)
        let error = #expect(throws: SystemError.self) { try MappedFile.create(path: link, length: 4096, exclusive: false) }
        #expect(error?.errno == ELOOP)
    }
}
