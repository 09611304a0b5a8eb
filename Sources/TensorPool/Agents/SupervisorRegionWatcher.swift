import SBE
import TensorPoolCore
import TensorPoolCodecs

/// Maps announced header rings read-only so the supervisor can read each producer's superblock
/// `activity_timestamp_ns` heartbeat (spec §7.1, §15.14, §15.16).
///
/// A ring is mapped only when its announced path is under the configured root (``RegionRoot`` refuses
/// symlinks, traversal and files swapped during the open) and its superblock matches the announce. The
/// URI is decoded only when a producer's epoch changes, so a steady stream of announces allocates nothing.
/// One owner thread (the supervisor agent).
final class SupervisorRegionWatcher {
    /// What was decided for one producer's announced ring.
    struct Watched {
        var epoch: UInt64
        /// The read-only mapping; `nil` when refused (see `rejection`).
        var ring: HeaderRing?
        var rejection: String?
    }

    /// Outcome of ``onAnnounce(_:decoder:)`` for logging and counters.
    enum Outcome: Equatable {
        /// Same epoch as before: nothing changed.
        case unchanged
        case mapped(path: String)
        case rejected(reason: String)
    }

    let root: RegionRoot?
    private(set) var watched: [ProducerKey: Watched] = [:]

    init(root: RegionRoot?) {
        self.root = root
    }

    /// Number of rings currently mapped.
    var mappedCount: Int {
        var n = 0
        for entry in watched.values where entry.ring != nil { n += 1 }
        return n
    }

    /// Handles the ring part of a `ShmPoolAnnounce`.
    func onAnnounce(_ key: ProducerKey, decoder: inout ShmPoolAnnounceDecoder) throws(SBEError) -> Outcome {
        let epoch = decoder.epoch
        if let entry = watched[key], entry.epoch == epoch { return .unchanged }
        let nslots = decoder.headerNslots
        let layoutVersion = decoder.layoutVersion
        let uriText = SBEText.string(try decoder.headerRegionUri())
        let outcome = map(key, epoch: epoch, nslots: nslots, layoutVersion: layoutVersion, uriText: uriText)
        return outcome
    }

    private func map(_ key: ProducerKey, epoch: UInt64, nslots: UInt32, layoutVersion: UInt32, uriText: String) -> Outcome {
        guard let root else {
            watched[key] = Watched(epoch: epoch, ring: nil, rejection: "no SHM root configured")
            return .rejected(reason: "no SHM root configured: liveness from the control plane only")
        }
        let reason: String
        do {
            let uri = try ShmRegionURI(parsing: uriText)
            let ring = try HeaderRing.map(uri: uri, root: root,
                                          expected: .headerRing(epoch: epoch, streamId: key.streamId, nslots: nslots,
                                                                layoutVersion: layoutVersion))
            watched[key] = Watched(epoch: epoch, ring: ring, rejection: nil)
            return .mapped(path: ring.path)
        } catch let error as ShmURIError {
            reason = "header_region_uri \(String(reflecting: uriText)): \(error)"
        } catch let error as RegionError {
            reason = "header ring \(String(reflecting: uriText)): \(error)"
        } catch {
            reason = "header ring \(String(reflecting: uriText)): \(error)"
        }
        watched[key] = Watched(epoch: epoch, ring: nil, rejection: reason)
        return .rejected(reason: reason)
    }

    /// Reads every mapped ring's `activity_timestamp_ns` (acquire) and reports it to `registry`.
    func readActivity(into registry: SupervisorRegistry, nowNs: UInt64) {
        for (key, entry) in watched {
            guard let ring = entry.ring else { continue }
            let activity = UInt64(bitPattern: ring.buffer.int64Acquire(at: RegionLayout.Superblock.activityTimestampNs))
            registry.onActivityTimestamp(key, activityTimestampNs: activity, nowNs: nowNs)
        }
    }

    /// Unmaps the ring of `key` (producer expired); the next announce maps again.
    func forget(_ key: ProducerKey) {
        watched[key] = nil
    }

    /// Unmaps everything.
    func close() {
        watched.removeAll()
    }
}
