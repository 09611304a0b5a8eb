import Foundation
import Testing
import MallocCounter
import AeronClient
import TensorPoolCore
@testable import TensorPool

/// The bridge sender's and receiver's duty cycles (stage under the seqlock, chunked offers; poll, assemble into
/// the claimed slot, commit) allocate nothing in steady state, over UDP on the real Aeron C driver, including the
/// periodic metadata and beacon re-sends (10 ms here) and their recognition by the receiver. Only this thread's allocations
/// are counted (the client conductor runs on its own thread).
@Suite(.serialized) struct BridgeAllocationTests {
    @Test func senderAndReceiverDutyCyclesAllocateNothing() throws {
        let chain = try BridgeTestChain("bridge-alloc", metadataIntervalNs: 10_000_000)
        try chain.connect()
        chain.source.setDataSource(name: "cam-A", summary: "UINT8 [64]", nowNs: TensorPoolClock.monotonicNs())
        chain.source.setMetadata([MetaAttribute(key: "camera.serial", format: "text/plain", value: Array("SN-7".utf8))],
                                 nowNs: TensorPoolClock.monotonicNs())
        let layouts = [TensorLayout(dtype: .uint8, shape: [64]), TensorLayout(dtype: .float32, shape: [128, 128])]  // 64 B, 64 KiB
        chain.consumer.handler.records.reserveCapacity(4096)
        var counts = (sender: 0, receiver: 0)

        func frame(_ layout: TensorLayout) throws {
            let target = chain.receiver.statistics[.framesReceived] + 1
            let size = layout.contiguousByteCount
            let now = TensorPoolClock.monotonicNs()
            SyntheticFramePattern.fill(chain.buffer, count: size, epoch: chain.source.epoch, seq: chain.source.nextSeq)
            _ = chain.source.publish(UnsafeRawBufferPointer(rebasing: chain.buffer[0..<size]), layout: layout, timestampNs: now, nowNs: now)
            let deadline = now + 10_000_000_000
            while chain.receiver.statistics[.framesReceived] < target, TensorPoolClock.monotonicNs() < deadline {
                let t = TensorPoolClock.monotonicNs()
                _ = try chain.source.doWork(nowNs: t)
                let m0 = malloc_counter_thread_allocations()
                _ = try chain.sender.doWork(nowNs: t)
                let m1 = malloc_counter_thread_allocations()
                _ = try chain.receiver.doWork(nowNs: t)
                let m2 = malloc_counter_thread_allocations()
                _ = try chain.consumer.doWork(nowNs: t)
                counts.sender += Int(m1 - m0)
                counts.receiver += Int(m2 - m1)
            }
        }

        for i in 0..<400 { try frame(layouts[i & 1]) }
        #expect(chain.receiver.statistics[.metadataUpdates] == 1, "metadata relayed during warm-up")
        counts = (0, 0)
        let metadataSent = chain.sender.statistics[.metadataSent]
        let announceSent = chain.sender.statistics[.announceSent]
        let announceUpdates = chain.receiver.statistics[.announceUpdates]
        #expect(chain.receiver.target.dataSourceName == "cam-A", "beacon relayed during warm-up")
        let before = chain.receiver.statistics[.framesReceived]
        for i in 0..<1000 { try frame(layouts[i & 1]) }
        #expect(chain.receiver.statistics[.framesReceived] - before == 1000)
        #expect(counts.sender == 0, "sender duty cycle: \(counts.sender) allocations over 1000 frames")
        #expect(counts.receiver == 0, "receiver duty cycle: \(counts.receiver) allocations over 1000 frames")
        #expect(chain.receiver.statistics[.framesAborted] == 0)
        #expect(chain.sender.statistics[.metadataSent] > metadataSent, "no metadata re-send in the measured window")
        #expect(chain.receiver.statistics[.metadataUpdates] == 1, "a re-send counted as new metadata")
        #expect(chain.sender.statistics[.announceSent] > announceSent, "no beacon re-send in the measured window")
        #expect(chain.receiver.statistics[.announceUpdates] == announceUpdates, "a beacon re-send counted as new")
    }
}
