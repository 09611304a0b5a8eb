import AeronInteropSupport
import Foundation
import Testing

extension RealAeron {
    /// Peers never outlive a failed wait or the object that started them.
    @Suite struct PeerProcessCleanup {
        @Test func aTimedOutWaitKillsThePeer() throws {
            let driver = try RealAeronMediaDriver()
            let sub = try AeronPeerProcess.startSubscriber(directory: driver.path, count: 1, timeoutSeconds: 600)
            let error = #expect(throws: InteropError.self) { try sub.waitForEvent("done", timeout: 0.5) }
            guard case .timeout? = error else {
                Issue.record("expected a timeout, got \(String(describing: error))")
                return
            }
            let run = try sub.waitForExit(timeout: PeerTimeouts.run)
            #expect(run.exit == PeerExit(status: SIGKILL, signaled: true))
        }

        @Test func aTimedOutExitWaitKillsThePeer() throws {
            let driver = try RealAeronMediaDriver()
            let sub = try AeronPeerProcess.startSubscriber(directory: driver.path, count: 1, timeoutSeconds: 600)
            #expect(throws: InteropError.self) { try sub.waitForExit(timeout: 0.5) }
            #expect(try sub.waitForExit(timeout: PeerTimeouts.run).exit.signaled)
        }

        @Test func droppingThePeerKillsIt() throws {
            let driver = try RealAeronMediaDriver()
            var pid: Int32 = 0
            do {
                let sub = try AeronPeerProcess.startSubscriber(directory: driver.path, count: 1, timeoutSeconds: 600)
                pid = sub.pid
                #expect(kill(pid, 0) == 0)
            }
            // deinit killed and reaped it: the pid no longer exists.
            #expect(kill(pid, 0) == -1 && errno == ESRCH)
        }

        @Test func droppingTheDriverStopsItCleanly() throws {
            var directory: TemporaryAeronDirectory?
            var pid: Int32 = 0
            do {
                let driver = try RealAeronMediaDriver()
                directory = driver.directory
                pid = driver.process.pid
            }
            #expect(kill(pid, 0) == -1 && errno == ESRCH)
            #expect(directory?.exists == false)  // SIGTERM: the C driver deleted its directory on the way out
        }
    }
}
