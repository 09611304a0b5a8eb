import Foundation

/// Paths inside this repository, found by walking up from this source file to the folder holding `Package.swift`.
public enum RepositoryLayout {
    /// The repository root, e.g. `/work/wt/interop`.
    public static func root(filePath: String = #filePath) throws -> URL {
        var dir = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return dir
            }
            dir = dir.deletingLastPathComponent()
        }
        throw InteropError.repositoryRootNotFound(startingAt: filePath)
    }

    /// `Tests/Interop/aeron_peer.py`, the Python program driving the real Aeron C library.
    public static func peerScript() throws -> URL {
        try root().appendingPathComponent("Tests/Interop/aeron_peer.py")
    }
}
