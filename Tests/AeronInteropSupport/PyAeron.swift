import Foundation

/// Locates the real Aeron C 1.53 client + media driver (the pyaeron 0.1.0 wheel's shared object) and the
/// Python interpreter that loads it.
public enum PyAeron {
    /// File name of the wheel's extension module (all `aeron_*` symbols are exported from it).
    public static let sharedObjectName = "_pyaeron.cpython-312-x86_64-linux-gnu.so"

    /// The shared object: `TP_PYAERON_SO` if set, else `<repo>/.deps/pyaeron/<name>`.
    ///
    /// Throws ``InteropError/sharedObjectMissing(searched:)`` (whose text says to run
    /// `scripts/install-test-deps.sh`) when neither exists, so interop tests fail rather than skip.
    public static func sharedObjectPath(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        repositoryRoot: URL? = nil
    ) throws -> String {
        var searched: [String] = []
        if let fromEnv = environment["TP_PYAERON_SO"], !fromEnv.isEmpty {
            if FileManager.default.fileExists(atPath: fromEnv) { return fromEnv }
            searched.append("TP_PYAERON_SO=\(fromEnv)")
        }
        let root = try repositoryRoot ?? RepositoryLayout.root()
        let local = root.appendingPathComponent(".deps/pyaeron/\(sharedObjectName)").path
        if FileManager.default.fileExists(atPath: local) { return local }
        searched.append(local)
        throw InteropError.sharedObjectMissing(searched: searched)
    }

    /// The Python 3 interpreter: `TP_PYTHON` if set, else the first `python3` on `PATH`.
    public static func pythonPath(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        var searched: [String] = []
        if let fromEnv = environment["TP_PYTHON"], !fromEnv.isEmpty {
            if FileManager.default.isExecutableFile(atPath: fromEnv) { return fromEnv }
            searched.append("TP_PYTHON=\(fromEnv)")
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/python3"
            searched.append(candidate)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw InteropError.pythonMissing(searched: searched)
    }
}
