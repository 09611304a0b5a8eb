import Foundation
import SharedMemory
import Testing
@testable import TensorPoolCore
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Hostile region paths: everything that could make a consumer map a file it was not meant to.
@Suite struct RegionRootTests {
    func open(_ root: RegionRoot, _ path: String, minimum: Int = 64) throws(RegionPathError) {
        let (fd, _) = try root.openRegionFile(path, writable: false, minimumLength: minimum)
        close(fd)
    }

    @Test func opensARegularFileUnderTheRoot() throws {
        let dir = TemporaryDirectory()
        let root = try RegionRoot(dir.makeDirectory("root"))
        _ = dir.makeDirectory("root/1000/1")
        let file = dir.write("root/1000/1/header.ring", bytes: 128)
        let (fd, size) = try root.openRegionFile(file, writable: false, minimumLength: 128)
        close(fd)
        #expect(size == 128)
    }

    @Test func refusesRelativeAndTraversalPaths() throws {
        let dir = TemporaryDirectory()
        let rootPath = dir.makeDirectory("root")
        let root = try RegionRoot(rootPath)
        _ = dir.write("outside", bytes: 128)
        #expect(throws: RegionPathError.notAbsolute("root/x")) { try open(root, "root/x") }
        #expect(throws: RegionPathError.traversal(rootPath + "/../outside")) { try open(root, rootPath + "/../outside") }
        #expect(throws: RegionPathError.traversal(rootPath + "/./x")) { try open(root, rootPath + "/./x") }
    }

    @Test func refusesFilesOutsideTheRoot() throws {
        let dir = TemporaryDirectory()
        let root = try RegionRoot(dir.makeDirectory("root"))
        let outside = dir.write("outside", bytes: 128)
        _ = dir.makeDirectory("rootsibling")
        let sibling = dir.write("rootsibling/f", bytes: 128)
        #expect(throws: RegionPathError.outsideRoot(path: outside, resolved: outside, root: root.path)) { try open(root, outside) }
        // "<root>sibling" shares the root's prefix as a string but is not below it.
        #expect(throws: RegionPathError.outsideRoot(path: sibling, resolved: sibling, root: root.path)) { try open(root, sibling) }
        #expect(throws: RegionPathError.self) { try open(root, "/etc/passwd", minimum: 1) }
    }

    @Test func refusesASymlinkAsTheFile() throws {
        let dir = TemporaryDirectory()
        let root = try RegionRoot(dir.makeDirectory("root"))
        let target = dir.write("root/real", bytes: 128)
        let link = dir.sub("root/link")
        #expect(symlink(target, link) == 0)
        #expect(throws: RegionPathError.symlink(link)) { try open(root, link) }
        // Even a link to a file outside the root is refused as a link, before anything is opened.
        let outside = dir.write("outside", bytes: 128)
        let link2 = dir.sub("root/link2")
        #expect(symlink(outside, link2) == 0)
        #expect(throws: RegionPathError.symlink(link2)) { try open(root, link2) }
    }

    @Test func refusesASymlinkedParentDirectoryLeavingTheRoot() throws {
        let dir = TemporaryDirectory()
        let root = try RegionRoot(dir.makeDirectory("root"))
        _ = dir.makeDirectory("elsewhere")
        let real = dir.write("elsewhere/header.ring", bytes: 128)
        let linkedDir = dir.sub("root/stream")
        #expect(symlink(dir.sub("elsewhere"), linkedDir) == 0)
        let path = linkedDir + "/header.ring"
        #expect(throws: RegionPathError.outsideRoot(path: path, resolved: real, root: root.path)) { try open(root, path) }
    }

    @Test func followsASymlinkedParentThatStaysInsideTheRoot() throws {
        let dir = TemporaryDirectory()
        let root = try RegionRoot(dir.makeDirectory("root"))
        _ = dir.makeDirectory("root/real")
        _ = dir.write("root/real/f", bytes: 128)
        #expect(symlink(dir.sub("root/real"), dir.sub("root/alias")) == 0)
        try open(root, dir.sub("root/alias/f"))
    }

    @Test func refusesADirectoryAFifoAndTheRootItself() throws {
        let dir = TemporaryDirectory()
        let root = try RegionRoot(dir.makeDirectory("root"))
        let sub = dir.makeDirectory("root/sub")
        #expect(throws: RegionPathError.notRegularFile(path: sub, kind: "directory")) { try open(root, sub) }
        let fifo = dir.sub("root/fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: RegionPathError.notRegularFile(path: fifo, kind: "FIFO")) { try open(root, fifo) }
        #expect(throws: RegionPathError.self) { try open(root, root.path) }
    }

    @Test func refusesAShortFile() throws {
        let dir = TemporaryDirectory()
        let root = try RegionRoot(dir.makeDirectory("root"))
        let short = dir.write("root/short", bytes: 100)
        #expect(throws: RegionPathError.tooSmall(path: short, size: 100, required: 64 + 256)) { try open(root, short, minimum: 64 + 256) }
    }

    @Test func refusesAMissingFileWithTheSystemError() throws {
        let dir = TemporaryDirectory()
        let root = try RegionRoot(dir.makeDirectory("root"))
        do {
            try open(root, dir.sub("root/missing"))
            Issue.record("opened a missing file")
        } catch {
            guard case .system(let e) = error else { Issue.record("wrong error \(error)"); return }
            #expect(e.errno == ENOENT)
        }
    }

    @Test func refusesAFileReplacedBetweenCheckAndOpen() throws {
        let dir = TemporaryDirectory()
        let root = try RegionRoot(dir.makeDirectory("root"))
        let path = dir.write("root/header.ring", bytes: 128)
        let impostor = dir.write("root/impostor", bytes: 128)
        #expect(throws: RegionPathError.replacedDuringOpen(path)) {
            _ = try root.openRegionFile(path, writable: false, minimumLength: 64, betweenCheckAndOpen: {
                #expect(rename(impostor, path) == 0)
            })
        }
    }

    @Test func refusesAFileReplacedByASymlinkBetweenCheckAndOpen() throws {
        let dir = TemporaryDirectory()
        let root = try RegionRoot(dir.makeDirectory("root"))
        let path = dir.write("root/header.ring", bytes: 128)
        let outside = dir.write("outside", bytes: 128)
        #expect(throws: RegionPathError.symlink(path)) {
            _ = try root.openRegionFile(path, writable: false, minimumLength: 64, betweenCheckAndOpen: {
                unlink(path)
                #expect(symlink(outside, path) == 0)
            })
        }
    }

    /// `root/stream/epoch/header.ring` whose `stream` directory is swapped for a symlink to another tree after the
    /// parent was resolved: the directory actually opened is outside the root and must be refused.
    @Test func refusesAParentDirectorySwappedForASymlinkAfterResolution() throws {
        let dir = TemporaryDirectory()
        let root = try RegionRoot(dir.makeDirectory("root"))
        _ = dir.makeDirectory("root/stream/epoch")
        let path = dir.write("root/stream/epoch/header.ring", bytes: 128)
        _ = dir.makeDirectory("outside/epoch")
        _ = dir.write("outside/epoch/header.ring", bytes: 128)
        let stream = dir.sub("root/stream")
        let outside = dir.sub("outside")
        #expect(throws: RegionPathError.self) {
            _ = try root.openRegionFile(path, writable: false, minimumLength: 64, betweenCheckAndOpen: nil, afterResolvingParent: {
                #expect(rename(stream, stream + ".moved") == 0)
                #expect(symlink(outside, stream) == 0)
            })
        }
    }

    @Test func rootMustBeAnExistingAbsoluteDirectory() throws {
        let dir = TemporaryDirectory()
        #expect(throws: RegionPathError.notAbsolute("relative")) { try RegionRoot("relative") }
        #expect(throws: RegionPathError.self) { try RegionRoot(dir.sub("missing")) }
        let file = dir.write("file", bytes: 1)
        #expect(throws: RegionPathError.self) { try RegionRoot(file) }
    }
}
