#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import SharedMemory
import AeronConcurrent

/// Finds and maps a live driver's `cnc.dat` (PROTOCOL_FACTS §1.2): waits for the file and its version, rejects
/// an incompatible version at once, and waits for a fresh driver heartbeat, all within the driver timeout.
enum DriverConnection {
    static func connect(directory: String, driverTimeoutMs: Int64) throws(AeronError) -> CncFile {
        let path = directory + "/" + CncFileDescriptor.fileName
        let deadlineNs = AeronClock.nanoTime() + driverTimeoutMs * 1_000_000
        var lastProblem = "CnC file not created: \(path)"
        while true {
            let retryDelayUs: UInt32
            do {
                let cnc = try CncFile.open(path: path)
                let ring: ManyToOneRingBuffer
                do { ring = try ManyToOneRingBuffer(buffer: cnc.toDriverBuffer) }
                catch { throw AeronError.incompatibleDriver("to-driver buffer in \(path): \(error)") }
                let heartbeat = ring.consumerHeartbeatTime
                let nowMs = AeronClock.epochMillis()
                if heartbeat == 0 {
                    lastProblem = "no driver heartbeat detected in \(path)"
                    retryDelayUs = 1_000
                } else if heartbeat == -1 || heartbeat < nowMs - driverTimeoutMs {
                    lastProblem = heartbeat == -1 ? "the driver in \(directory) has shut down"
                        : "no active driver in \(directory): heartbeat is \(nowMs - heartbeat) ms old"
                    retryDelayUs = 100_000
                } else {
                    return cnc
                }
            } catch let error as CncFileError {
                switch error {
                case .versionMismatch: throw .incompatibleDriver(error.description)
                default:
                    lastProblem = error.description
                    retryDelayUs = 16_000
                }
            } catch let error as AeronError {
                throw error
            } catch {
                lastProblem = "\(error)"
                retryDelayUs = 16_000
            }
            if AeronClock.nanoTime() >= deadlineNs { throw .driverTimeout(lastProblem) }
            usleep(retryDelayUs)
        }
    }
}
