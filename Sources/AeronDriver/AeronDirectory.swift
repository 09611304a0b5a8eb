#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import AeronConcurrent
import SharedMemory

/// Prepares an Aeron directory for a new driver: refuses one whose driver is alive, wipes a stale one.
enum AeronDirectory {
    /// Heartbeat age (ms) of the driver that owns `directory`, or nil when there is no initialised `cnc.dat`.
    static func existingDriver(in directory: String, nowMs: Int64) -> (heartbeatAgeMs: Int64, pid: Int64)? {
        let path = directory + "/" + CncFileDescriptor.fileName
        guard let file = try? MappedFile.open(path: path, writable: false, minimumLength: CncFileDescriptor.metaDataLength + 1) else { return nil }
        let buffer = file.buffer
        guard buffer.int32Acquire(at: CncFileDescriptor.cncVersionOffset) != 0 else { return nil }
        let layout = CncFileDescriptor.Layout(metadata: buffer)
        let heartbeatOffset = layout.toDriverBufferOffset + layout.toDriverBufferLength - CncFileDescriptor.toDriverTrailerLength
            + RingBufferDescriptor.consumerHeartbeatOffset
        guard layout.toDriverBufferLength > CncFileDescriptor.toDriverTrailerLength, heartbeatOffset + 8 <= file.length,
              heartbeatOffset % 8 == 0 else { return nil }
        let heartbeat = buffer.int64Acquire(at: heartbeatOffset)
        guard heartbeat > 0 else { return nil }
        return (nowMs - heartbeat, buffer.int64(at: CncFileDescriptor.pidOffset))
    }

    /// Throws when a live driver owns `directory`; otherwise deletes it and recreates it with `publications/`
    /// and `images/`.
    static func prepare(_ directory: String, driverTimeoutMs: Int64, nowMs: Int64) throws(MediaDriverError) {
        if let existing = existingDriver(in: directory, nowMs: nowMs), existing.heartbeatAgeMs < driverTimeoutMs {
            throw .activeDriverDetected(directory: directory, heartbeatAgeMs: existing.heartbeatAgeMs, pid: existing.pid)
        }
        let fm = FileManager.default
        // The whole directory is wiped, as the C driver does; a non-empty one that was never an Aeron directory
        // (a mistyped --dir) is refused instead of deleted.
        if let contents = try? fm.contentsOfDirectory(atPath: directory), !contents.isEmpty,
           !contents.contains(CncFileDescriptor.fileName), !contents.contains("publications") {
            throw .io("refusing to delete \(directory): it is not empty and holds no cnc.dat, so it is not an Aeron directory")
        }
        do {
            if fm.fileExists(atPath: directory) { try fm.removeItem(atPath: directory) }
            try fm.createDirectory(atPath: directory + "/publications", withIntermediateDirectories: true)
            try fm.createDirectory(atPath: directory + "/images", withIntermediateDirectories: true)
        } catch {
            throw .io("cannot prepare Aeron directory \(directory): \(error)")
        }
    }

    /// Removes the directory and everything in it.
    static func delete(_ directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
