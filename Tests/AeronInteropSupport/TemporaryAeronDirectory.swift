import Foundation

/// A unique, not-yet-existing Aeron directory path (under `/dev/shm` when present, as Aeron prefers), removed
/// with everything in it when this object goes away.
///
/// The media driver creates the directory itself; this type only reserves a name nobody else uses and cleans up,
/// including after a killed driver left a stale directory behind.
public final class TemporaryAeronDirectory: Sendable {
    /// Absolute path of the Aeron directory.
    public let path: String

    /// - Parameter prefix: readable part of the name, e.g. the test's name.
    public init(prefix: String = "tp-interop") {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let safe = String(prefix.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }.prefix(40))
        let unique = "\(getpid())-\(UUID().uuidString.prefix(8))"
        path = URL(fileURLWithPath: base).appendingPathComponent("\(safe)-\(unique)").path
    }

    /// Whether the directory currently exists.
    public var exists: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Path of the CnC file inside the directory.
    public var cncPath: String { path + "/cnc.dat" }

    /// Deletes the directory and its contents if present.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    deinit {
        remove()
    }
}
