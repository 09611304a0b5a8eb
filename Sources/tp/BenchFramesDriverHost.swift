@preconcurrency import Glibc
import AeronDriver
import Foundation

/// The media driver of a `tp bench frames` run: the embedded Swift driver on a thread of this process, or the
/// real Aeron C driver (`python3 Tests/Interop/aeron_peer.py driver`).
final class BenchDriverHost {
    private var driver: MediaDriver?
    private var child: BenchChild?
    private let directory: String

    init(realDriver: Bool, directory: String, repositoryRoot: String?, work: String) throws {
        self.directory = directory
        if !realDriver {
            var context = MediaDriverContext()
            context.aeronDirectory = directory
            context.ipcTermLength = 16 << 20
            context.deleteDirectoryOnShutdown = true
            driver = try MediaDriver.launch(context)
            return
        }
        guard let root = repositoryRoot else { throw BenchFramesError("--real-driver: repository root not found next to the executable") }
        var environment = ProcessInfo.processInfo.environment
        if environment["TP_PYAERON_SO"] == nil {
            let folder = root + "/.deps/pyaeron"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            guard let so = names.first(where: { $0.hasPrefix("_pyaeron") && $0.hasSuffix(".so") }) else {
                throw BenchFramesError("--real-driver needs the Aeron C library: run scripts/install-test-deps.sh or set TP_PYAERON_SO")
            }
            environment["TP_PYAERON_SO"] = folder + "/" + so
        }
        let log = work + "/driver.log"
        let child = try BenchChild.spawn(
            executable: "/usr/bin/env",
            arguments: ["python3", root + "/Tests/Interop/aeron_peer.py", "driver", "--dir", directory, "--no-stdin-watch"],
            log: log, environment: environment)
        self.child = child
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: log, encoding: .utf8), text.contains("\"ready\"") { return }
            if !child.process.isRunning { break }
            usleep(20_000)
        }
        child.kill()
        throw BenchFramesError("the Aeron C driver did not start: \(child.logTail())")
    }

    func close() {
        driver?.close()
        driver = nil
        if let child {
            child.interrupt()
            if !child.wait(timeoutSeconds: 5) { child.kill() }
        }
        child = nil
        try? FileManager.default.removeItem(atPath: directory)
    }
}
