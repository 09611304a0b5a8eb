import AeronClient

/// The bench's flow control over Aeron IPC (`tp bench frames --acks aeron`), as the C prototype does it: each
/// consumer offers `(index, seq + 1)` on a release stream when it finished a frame, and the producer polls that
/// stream while it waits. Same contract as ``BenchFramesAckBoard``, with the cost of a real Aeron message per frame
/// on both sides; it exists to check that the harness's cheaper board does not flatter or penalise our figures.
enum BenchFramesAcks {
    /// The acknowledgement message: consumer index, then `seq + 1`, both little-endian 64-bit.
    static let messageBytes = 16

    /// A consumer's side: one exclusive publication on the release stream.
    final class Sender {
        private let publication: ExclusivePublication
        private let message: UnsafeMutableRawBufferPointer
        /// Acknowledgements given up after `BenchFramesAcks.Sender.maxAttempts` refused offers (producer gone).
        private(set) var abandoned = 0
        static let maxAttempts = 1_000_000

        init(aeron: Aeron, channel: String, streamId: Int32) throws {
            publication = try aeron.addExclusivePublication(channel: channel, streamId: streamId)
            message = .allocate(byteCount: BenchFramesAcks.messageBytes, alignment: 8)
        }

        deinit {
            try? publication.close()
            message.deallocate()
        }

        /// Offers consumer `index` finished `seq` (retrying while back-pressured or not yet connected).
        func acknowledge(_ index: Int, seq: UInt64) {
            message.storeBytes(of: UInt64(index).littleEndian, toByteOffset: 0, as: UInt64.self)
            message.storeBytes(of: (seq &+ 1).littleEndian, toByteOffset: 8, as: UInt64.self)
            var attempts = 0
            while publication.offer(UnsafeRawBufferPointer(message)).position == nil {
                attempts &+= 1
                if attempts >= Self.maxAttempts || publication.isClosed {
                    abandoned &+= 1
                    return
                }
            }
        }
    }

    /// The producer's side: one subscription on the release stream, every consumer's publication an image of it.
    final class Receiver {
        private let subscription: Subscription
        private let acknowledged: UnsafeMutableBufferPointer<UInt64>

        init(aeron: Aeron, channel: String, streamId: Int32, consumers: Int) throws {
            subscription = try aeron.addSubscription(channel: channel, streamId: streamId)
            acknowledged = .allocate(capacity: max(consumers, 1))
            acknowledged.initialize(repeating: 0)
        }

        deinit {
            try? subscription.close()
            acknowledged.deallocate()
        }

        /// Polls the release stream, then returns `seq + 1` of the last frame every consumer finished.
        func minimumAcknowledged() -> UInt64 {
            let acknowledged = self.acknowledged
            _ = subscription.poll(fragmentLimit: 10) { payload, _ in
                guard payload.count == BenchFramesAcks.messageBytes else { return }
                let index = Int(truncatingIfNeeded: UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: 0, as: UInt64.self)))
                let done = UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                guard index >= 0, index < acknowledged.count, done > acknowledged[index] else { return }
                acknowledged[index] = done
            }
            var low = UInt64.max
            for value in acknowledged { low = min(low, value) }
            return low
        }
    }

    /// Where the producer reads acknowledgements from (`--ack-file` or `--ack-stream`).
    enum Source {
        case board(BenchFramesAckBoard)
        case aeron(Receiver)

        /// `seq + 1` of the last frame every consumer finished.
        @inline(__always)
        func minimumAcknowledged() -> UInt64 {
            switch self {
            case .board(let board): board.minimumAcknowledged()
            case .aeron(let receiver): receiver.minimumAcknowledged()
            }
        }
    }
}
