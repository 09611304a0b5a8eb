@preconcurrency import Glibc
import AeronClient
import AeronDriver
import Foundation

/// The Aeron connection of a `tp producer` / `tp consumer` / `tp demo` process: an external driver (`--aeron-dir`,
/// e.g. the Aeron C media driver or `tp driver`), or the embedded Swift driver launched in-process (or, when a
/// live driver already owns the directory, that driver).
final class DemoAeronSession {
    let aeron: Aeron
    let driver: MediaDriver?
    let directory: String

    /// - Parameters:
    ///   - externalDirectory: connect to the driver there (no embedded driver).
    ///   - embeddedDirectory: where to launch the embedded driver otherwise.
    init(externalDirectory: String?, embeddedDirectory: String, deleteOnClose: Bool, log: (String) -> Void) throws {
        if let externalDirectory {
            directory = externalDirectory
            driver = nil
        } else {
            directory = embeddedDirectory
            var context = MediaDriverContext()
            context.aeronDirectory = embeddedDirectory
            context.ipcTermLength = 16 << 20
            context.deleteDirectoryOnShutdown = deleteOnClose
            do {
                driver = try MediaDriver.launch(context)
                log("embedded Swift media driver in \(embeddedDirectory)")
            } catch MediaDriverError.activeDriverDetected(_, _, let pid) {
                log("using the running media driver (pid \(pid)) in \(embeddedDirectory)")
                driver = nil
            }
        }
        var context = AeronContext(directory: directory)
        context.driverTimeoutMs = 10_000
        aeron = try Aeron.connect(context)
    }

    func close() {
        aeron.close()
        driver?.close()
    }
}
