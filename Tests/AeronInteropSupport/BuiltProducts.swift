import Foundation

/// Finds executables built by SwiftPM (e.g. `tp`) from inside a test process.
public enum BuiltProducts {
    /// Directories searched, in order: the directory of `CommandLine.arguments[0]` and its ancestors'
    /// `debug` folders (the test bundle lives in `.build/<triple>/debug/`), then `<repo>/.build/debug`.
    public static func searchDirectories() -> [URL] {
        var dirs: [URL] = []
        let argv0 = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").standardizedFileURL
        var dir = argv0.deletingLastPathComponent()
        dirs.append(dir)
        for _ in 0..<4 where dir.path != "/" {
            dir = dir.deletingLastPathComponent()
            dirs.append(dir)
            dirs.append(dir.appendingPathComponent("debug"))
        }
        if let root = try? RepositoryLayout.root() {
            dirs.append(root.appendingPathComponent(".build/debug"))
            dirs.append(root.appendingPathComponent(".build/release"))
        }
        return dirs
    }

    /// The executable `name`, or ``InteropError/executableNotFound(name:searched:)``.
    public static func executable(named name: String) throws -> URL {
        let dirs = searchDirectories()
        for dir in dirs {
            let candidate = dir.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate.path)
            {
                return candidate
            }
        }
        throw InteropError.executableNotFound(name: name, searched: dirs.map(\.path))
    }
}
