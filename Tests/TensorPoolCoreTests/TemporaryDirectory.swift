import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A unique directory for one test (under /dev/shm when available), removed when released.
final class TemporaryDirectory {
    let path: String

    init(_ label: String = "tp-core") {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        var template = Array("\(base)/\(label)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func sub(_ name: String) -> String { path + "/" + name }

    func makeDirectory(_ name: String) -> String {
        let p = sub(name)
        try? FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    func write(_ name: String, bytes: Int) -> String {
        let p = sub(name)
        _ = FileManager.default.createFile(atPath: p, contents: Data(count: bytes))
        return p
    }
}
