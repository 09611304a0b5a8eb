import Testing
import Foundation
import TensorPoolCore
@testable import TensorPool

/// A pid that named a process which has exited and been reaped.
func deadPid() throws -> UInt64 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    process.waitUntilExit()
    return UInt64(process.processIdentifier)
}

/// Creates `<root>/<stream>/<epoch>/{pool-1.pool,header.ring}` with `pid` and activity `activityNs`.
@discardableResult
func makeRegions(root: String, stream: UInt32, pid: UInt64, activityNs: UInt64) throws -> String {
    let set = try RegionSet.create(.init(root: root, streamId: stream, epoch: 1, nslots: 16,
                                         pools: [.init(poolId: 1, strideBytes: 4096)], unlinkOnClose: false),
                                   pid: pid, nowNs: activityNs)
    return set.directory
}

/// A root and a directory outside it (both removed by ``remove()``), a dead pid and timestamps around now.
struct CleanerScenario {
    let root: TemporaryRoot
    let outside: TemporaryRoot
    let now = TensorPoolClock.monotonicNs()
    let dead: UInt64
    /// A minute before `now`: stale for the 10 s threshold the tests use.
    var stale: UInt64 { now > 60_000_000_000 ? now - 60_000_000_000 : 1 }

    init(_ tag: String = #function) throws {
        root = try TemporaryRoot(tag)
        outside = try TemporaryRoot("outside")
        dead = try deadPid()
    }

    func remove() {
        root.remove()
        outside.remove()
    }
}

@Suite("tp clean logic: SupervisorRegionCleaner")
struct SupervisorRegionCleanerTests {
    @Test("removes regions of a dead producer with stale activity; keeps live pid, fresh activity; skips hostile entries")
    func cleans() throws {
        let scenario = try CleanerScenario()
        defer { scenario.remove() }
        let (root, outside, now, stale, dead) = (scenario.root, scenario.outside, scenario.now, scenario.stale, scenario.dead)
        let deadDir = try makeRegions(root: root.path, stream: 1, pid: dead, activityNs: stale)
        let liveDir = try makeRegions(root: root.path, stream: 2, pid: UInt64(getpid()), activityNs: stale)
        let freshDir = try makeRegions(root: root.path, stream: 3, pid: dead, activityNs: now)
        let outsideDir = try makeRegions(root: outside.path, stream: 4, pid: dead, activityNs: stale)
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: root.path + "/linked-dir", withDestinationPath: outside.path)
        try fm.createSymbolicLink(atPath: root.path + "/linked-ring", withDestinationPath: outsideDir + "/header.ring")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: root.path + "/short"))
        try Data(repeating: 0x41, count: 128).write(to: URL(fileURLWithPath: root.path + "/junk"))
        #expect(mkfifo(root.path + "/fifo", 0o600) == 0)

        let dry = try SupervisorRegionCleaner(root: root.path, staleAfterNs: 10_000_000_000, dryRun: true).run(nowNs: now)
        #expect(dry.filter { $0.action == .wouldRemove }.count == 2)
        #expect(fm.fileExists(atPath: deadDir + "/header.ring"))

        let entries = try SupervisorRegionCleaner(root: root.path, staleAfterNs: 10_000_000_000).run(nowNs: now)
        func action(_ path: String) -> SupervisorRegionCleaner.Action? { entries.first { $0.path == path }?.action }
        #expect(action(deadDir + "/header.ring") == .removed)
        #expect(action(deadDir + "/pool-1.pool") == .removed)
        #expect(action(deadDir) == .removed)
        #expect(action(root.path + "/1") == .removed)
        #expect(!fm.fileExists(atPath: root.path + "/1"))
        #expect(action(liveDir + "/header.ring") == .kept)
        #expect(entries.first { $0.path == liveDir + "/header.ring" }?.reason.contains("is alive") == true)
        #expect(action(freshDir + "/header.ring") == .kept)
        #expect(entries.first { $0.path == freshDir + "/header.ring" }?.reason.contains("activity is fresh") == true)
        #expect(fm.fileExists(atPath: liveDir + "/pool-1.pool") && fm.fileExists(atPath: freshDir + "/pool-1.pool"))
        #expect(action(root.path + "/linked-dir") == .skipped)
        #expect(action(root.path + "/linked-ring") == .skipped)
        #expect(fm.fileExists(atPath: outsideDir + "/header.ring"), "a symlink target outside the root is never touched")
        #expect(action(root.path + "/short") == .skipped)
        #expect(entries.first { $0.path == root.path + "/short" }?.reason.contains("short file") == true)
        #expect(action(root.path + "/junk") == .skipped)
        #expect(action(root.path + "/fifo") == .skipped)
        #expect(entries.filter { $0.action == .removed }.count == 4)
    }

    @Test("a symlinked or missing root is refused")
    func badRoot() throws {
        let root = try TemporaryRoot()
        defer { root.remove() }
        let link = root.path + "-link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: root.path)
        defer { try? FileManager.default.removeItem(atPath: link) }
        #expect(throws: SupervisorRegionCleaner.CleanError.self) { try SupervisorRegionCleaner(root: link).run() }
        #expect(throws: SupervisorRegionCleaner.CleanError.self) { try SupervisorRegionCleaner(root: root.path + "/missing").run() }
        #expect(throws: SupervisorRegionCleaner.CleanError.self) { try SupervisorRegionCleaner(root: "relative").run() }
    }
}

@Suite("tp clean: a directory swapped for a symlink during the walk")
struct SupervisorRegionCleanerSwapTests {
    @Test("a subdirectory replaced by a symlink after its check is not followed: nothing outside the root is removed")
    func swappedDirectoryIsNotFollowed() throws {
        let scenario = try CleanerScenario()
        defer { scenario.remove() }
        let (root, outside, now, stale, dead) = (scenario.root, scenario.outside, scenario.now, scenario.stale, scenario.dead)
        try makeRegions(root: root.path, stream: 1, pid: dead, activityNs: stale)
        let outsideDir = try makeRegions(root: outside.path, stream: 1, pid: dead, activityNs: stale)
        var cleaner = SupervisorRegionCleaner(root: root.path, staleAfterNs: 10_000_000_000)
        let swapped = root.path + "/1"
        let outsideStream = outside.path + "/1"
        cleaner.beforeDescend = { @Sendable path in
            guard path == swapped else { return }
            // The attacker moves the checked directory away and puts a symlink to another tree in its place.
            _ = rename(swapped, swapped + ".moved")
            _ = symlink(outsideStream, swapped)
        }
        let entries = try cleaner.run(nowNs: now)
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: outsideDir + "/header.ring"), "a file outside the root was removed: \(entries)")
        #expect(fm.fileExists(atPath: outsideDir + "/pool-1.pool"), "a file outside the root was removed: \(entries)")
        #expect(entries.contains { $0.path == swapped && $0.action == .skipped })
    }
}
