import Foundation
import Testing
@testable import TensorPool

/// Rates come from peers' cumulative QoS counters, so they can be any finite size: rendering them never traps.
@Suite struct SupervisorStatusRenderingTests {
    static func consumer(dropsPerSecond: Double?, framesPerSecond: Double?) -> SupervisorStatus.Consumer {
        SupervisorStatus.Consumer(
            key: ConsumerKey(streamId: 1, consumerId: 2), state: .live, mode: .stream, epoch: 1, lastSeqSeen: .max,
            dropsGap: .max, dropsLate: .max, dropsPerSecond: dropsPerSecond, framesPerSecond: framesPerSecond,
            colliding: false, collisions: 0, restarts: 0, commandedMode: nil)
    }

    @Test func hugeRatesRenderAsNumbers() throws {
        // A consumer whose drops_gap jumps from 0 to 2^64 - 1 within a one-second window.
        let huge = Double(UInt64.max)
        let status = SupervisorStatus(nowNs: 1, producers: [], consumers: [
            Self.consumer(dropsPerSecond: huge, framesPerSecond: 1e300),
            Self.consumer(dropsPerSecond: 12.345, framesPerSecond: -0.5),
        ])
        let table = status.table
        #expect(table.contains("12.35") || table.contains("12.34"), "\(table)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.jsonLine.utf8)) as? [String: Any])
        let consumers = try #require(object["consumers"] as? [[String: Any]])
        #expect((consumers[0]["drops_per_second"] as? Double).map { abs($0 - huge) / huge < 1e-9 } == true, "\(status.jsonLine)")
        #expect((consumers[0]["frames_per_second"] as? Double) == 1e300, "\(status.jsonLine)")
        #expect((consumers[1]["frames_per_second"] as? Double) == -0.5, "\(status.jsonLine)")
    }
}
