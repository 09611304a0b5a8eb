import Foundation

/// Why the interop harness could not do what a test asked. Every case carries enough text to act on.
public enum InteropError: Error, CustomStringConvertible, Sendable {
    /// The real Aeron C library (pyaeron wheel) is not installed where the harness looks for it.
    case sharedObjectMissing(searched: [String])
    /// No usable `python3` interpreter was found.
    case pythonMissing(searched: [String])
    /// The repository root (the folder holding `Package.swift`) could not be found from a source path.
    case repositoryRootNotFound(startingAt: String)
    /// A built product (e.g. the `tp` executable) was not found next to the test bundle.
    case executableNotFound(name: String, searched: [String])
    /// A peer process did not produce the expected output in time.
    case timeout(what: String, seconds: Double, stderr: String)
    /// A peer process exited before producing what was expected.
    case peerExited(what: String, exit: PeerExit, stderr: String)
    /// A peer printed a line that is not a JSON object.
    case malformedOutput(line: String)
    /// Launching a process failed.
    case launchFailed(command: String, reason: String)

    public var description: String {
        switch self {
        case .sharedObjectMissing(let searched):
            return "the real Aeron C library (pyaeron wheel) is missing: run scripts/install-test-deps.sh "
                + "(or set TP_PYAERON_SO); searched: \(searched.joined(separator: ", "))"
        case .pythonMissing(let searched):
            return "python3 not found (set TP_PYTHON or put python3 on PATH); searched: \(searched.joined(separator: ", "))"
        case .repositoryRootNotFound(let start):
            return "no Package.swift above \(start)"
        case .executableNotFound(let name, let searched):
            return "built executable '\(name)' not found (build it first, e.g. swift build --build-tests); "
                + "searched: \(searched.joined(separator: ", "))"
        case .timeout(let what, let seconds, let stderr):
            return "timed out after \(seconds) s waiting for \(what)" + Self.stderrSuffix(stderr)
        case .peerExited(let what, let exit, let stderr):
            return "peer exited (\(exit)) while waiting for \(what)" + Self.stderrSuffix(stderr)
        case .malformedOutput(let line):
            return "peer printed a line that is not a JSON object: \(line)"
        case .launchFailed(let command, let reason):
            return "could not launch \(command): \(reason)"
        }
    }

    private static func stderrSuffix(_ stderr: String) -> String {
        stderr.isEmpty ? "" : "; peer stderr:\n\(stderr)"
    }
}
