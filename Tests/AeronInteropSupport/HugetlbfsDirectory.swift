import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A unique directory on hugetlbfs for one test, removed when released.
///
/// `scripts/test.sh` mounts hugetlbfs and reserves hugepages (`scripts/hugetlbfs.sh`), then exports the mount as
/// `TP_HUGETLBFS_DIR`. Without it the hugepage tests fail and say how to get one; `TP_HUGETLBFS_DIR=off` turns
/// them off explicitly (a machine where hugetlbfs cannot be had).
public final class HugetlbfsDirectory {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// False only when the hugepage tests were explicitly turned off.
    public static var isEnabled: Bool { ProcessInfo.processInfo.environment["TP_HUGETLBFS_DIR"] != "off" }

    public let path: String

    public init(_ label: String) throws {
        guard let mount = ProcessInfo.processInfo.environment["TP_HUGETLBFS_DIR"], !mount.isEmpty else {
            throw Unavailable(description: "TP_HUGETLBFS_DIR is not set: run the tests with scripts/test.sh (it mounts hugetlbfs and reserves hugepages with scripts/hugetlbfs.sh), or export TP_HUGETLBFS_DIR=<a hugetlbfs mount>, or TP_HUGETLBFS_DIR=off to skip these tests")
        }
        var template = Array("\(mount)/\(label)-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw Unavailable(description: "cannot create a directory in TP_HUGETLBFS_DIR=\(mount): \(String(cString: strerror(errno)))")
        }
        path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Free hugepages right now (`HugePages_Free` in /proc/meminfo).
    public static func freeHugepages() throws -> Int {
        let meminfo = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        for line in meminfo.split(separator: "\n") where line.hasPrefix("HugePages_Free:") {
            if let count = Int(line.split(separator: " ").last ?? "") { return count }
        }
        throw Unavailable(description: "no HugePages_Free line in /proc/meminfo")
    }

    /// A power-of-two slot count of 2 MiB slots needing more hugepages than are free: twice as many as are free now
    /// (tests running alongside may free some meanwhile), rounded up.
    public static func slotCountBeyondFreeHugepages() throws -> Int {
        let wanted = 2 * (try freeHugepages() + 1)
        return 1 << (Int.bitWidth - (wanted - 1).leadingZeroBitCount)
    }

    /// Lines of /proc/self/maps that map a file under this directory.
    public func mappings() throws -> [Substring] {
        try String(contentsOfFile: "/proc/self/maps", encoding: .utf8).split(separator: "\n").filter { $0.contains(path + "/") }
    }
}
