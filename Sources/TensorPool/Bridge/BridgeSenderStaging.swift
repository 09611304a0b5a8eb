import SharedMemory
import TensorPoolCore

/// The frame a bridge sender is sending: a copy of one source frame (payload and slot header) taken inside
/// the source seqlock read, so chunks can be offered over several duty cycles (back pressure) without the
/// producer overwriting them. Owned by one thread.
final class BridgeStagedFrame {
    enum State { case empty, provisional, ready }

    let capacity: Int
    let payload: UnsafeMutableRawPointer
    /// The 256-byte slot header as `TensorSlotHeader256` bytes (commit word zero).
    let header: AtomicBuffer
    var state = State.empty
    var streamId: UInt32 = 0
    var epoch: UInt64 = 0
    var seq: UInt64 = 0
    var length = 0
    /// Payload bytes already sent, and whether the first chunk (which carries the header) went out.
    var sentOffset = 0
    var firstChunkSent = false

    init(capacity: Int) {
        self.capacity = max(capacity, 0)
        payload = .allocate(byteCount: max(self.capacity, 1), alignment: 64)
        let headerBase = UnsafeMutableRawPointer.allocate(byteCount: BridgeWire.slotHeaderBytes, alignment: 64)
        headerBase.initializeMemory(as: UInt8.self, repeating: 0, count: BridgeWire.slotHeaderBytes)
        header = AtomicBuffer(base: headerBase, capacity: BridgeWire.slotHeaderBytes)
    }

    deinit {
        payload.deallocate()
        header.base.deallocate()
    }
}

/// The bridge sender's source-consumer handler: copies each delivered frame into the ``BridgeStagedFrame``
/// inside the seqlock read and marks it ready to send only when the read validated.
public struct BridgeSenderStaging: TensorFrameHandler {
    let staged: BridgeStagedFrame
    let metadata: BridgeMetadataOutbox
    let announce: BridgeAnnounceOutbox
    let streamId: UInt32
    /// The sender's counters (staging drops are counted here).
    public let statistics: BridgeSenderStatistics

    init(staged: BridgeStagedFrame, metadata: BridgeMetadataOutbox, announce: BridgeAnnounceOutbox, streamId: UInt32,
         statistics: BridgeSenderStatistics) {
        self.staged = staged
        self.metadata = metadata
        self.announce = announce
        self.streamId = streamId
        self.statistics = statistics
    }

    /// Encodes the source's new metadata for the bridge; the sender offers it between frames.
    public mutating func onMetadata(_ metadata: DataSourceMetadata) {
        self.metadata.stage(metadata, streamId: streamId)
    }

    /// Encodes the source's new beacon (`DataSourceAnnounce`: name, summary) for the bridge; the sender offers it
    /// between frames.
    public mutating func onDataSourceInfo(_ info: DataSourceInfo) {
        announce.stage(info, streamId: streamId)
    }

    /// Copies the frame (payload and slot header) into the staging buffer, inside the seqlock read.
    public mutating func onFrame(_ frame: borrowing TensorFrame) {
        if staged.state == .ready {
            statistics.add(.busyDrops)
            return
        }
        let count = frame.byteCount
        guard count <= staged.capacity else {
            staged.state = .empty
            statistics.add(.oversizeDrops)
            return
        }
        let destination = staged.payload
        frame.withBytes { source in
            if count > 0, let from = source.baseAddress { destination.copyMemory(from: from, byteCount: count) }
        }
        do { try frame.header.write(to: staged.header, slotOffset: 0) } catch {
            staged.state = .empty
            return
        }
        staged.state = .provisional
        staged.streamId = streamId
        staged.epoch = frame.epoch
        staged.seq = frame.seq
        staged.length = count
        staged.sentOffset = 0
        staged.firstChunkSent = false
    }

    /// Copies the frame (payload and slot header) into the staging buffer, inside the seqlock read.
    public mutating func onFrameCompleted(seq: UInt64, intact: Bool) {
        guard staged.state == .provisional, staged.seq == seq else { return }
        if intact {
            staged.state = .ready
        } else {
            staged.state = .empty
            statistics.add(.sourceTorn)
        }
    }
}
