import Foundation
import AeronClient
import AeronDriver
#if canImport(Glibc)
import Glibc
#endif

/// An embedded Swift media driver on its own thread plus a connected client, in a unique directory under
/// /dev/shm, closed (and the directory deleted) by ``close()``.
final class EmbeddedAeron: @unchecked Sendable {
    let driver: MediaDriver
    let aeron: Aeron
    var directory: String { driver.aeronDirectory }

    init(_ tag: String = #function) throws {
        let clean = tag.filter { $0.isLetter || $0.isNumber }
        var context = MediaDriverContext()
        context.aeronDirectory = "/dev/shm/tp-test-\(clean.prefix(24))-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        context.setCountersValuesBufferLength(1 << 20)
        context.ipcTermLength = 64 * 1024
        context.timerIntervalNs = 20_000_000
        context.deleteDirectoryOnShutdown = true
        driver = try MediaDriver.launch(context)
        do {
            aeron = try Aeron.connect(Self.clientContext(context.aeronDirectory))
        } catch {
            driver.close()
            throw error
        }
    }

    /// Another client on the same driver.
    func connect() throws -> Aeron { try Aeron.connect(Self.clientContext(directory)) }

    static func clientContext(_ directory: String) -> AeronContext {
        var context = AeronContext(directory: directory)
        context.driverTimeoutMs = 5_000
        return context
    }

    func close() {
        aeron.close()
        driver.close()
    }
}

/// Polls `condition` until true or `timeoutS` passes.
func eventually(timeoutS: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeoutS)
    while Date() < deadline {
        if try condition() { return true }
        usleep(1000)
    }
    return try condition()
}
