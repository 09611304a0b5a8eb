import Foundation
import Testing
import AeronClient
import AeronDriver
import TensorPool

/// Runs the application example of `Sources/TensorPool/README.md` and checks that the README shows exactly this
/// code (between the EXAMPLE markers), so the documented example always compiles and works.
@Suite struct ReadmeExampleTests {
    static func runExample(aeronDir: String, shmRoot: String) throws -> (frames: Int, sum: Float) {
        // EXAMPLE-BEGIN
        // 1. An embedded media driver and an Aeron client (or connect to an external driver's directory).
        var driverContext = MediaDriverContext()
        driverContext.aeronDirectory = aeronDir
        driverContext.deleteDirectoryOnShutdown = true
        let driver = try MediaDriver.launch(driverContext)
        defer { driver.close() }
        let aeron = try Aeron.connect(AeronContext(directory: aeronDir))
        defer { aeron.close() }

        // 2. A producer: regions of a fresh epoch under shmRoot, announced over Aeron.
        var producerConfig = ProducerConfiguration(user: "example")
        producerConfig.shmRootDir = shmRoot
        producerConfig.aeron = AeronEndpointConfiguration(aeronDir: aeronDir)
        let producer = try TensorPoolProducer(configuration: producerConfig, aeron: aeron)
        defer { producer.close() }

        // 3. A consumer whose handler reads each frame as a typed tensor, inside the seqlock read.
        struct Reader: TensorFrameHandler {
            var frames = 0
            var sum: Float = 0
            private var pending: Float = 0
            mutating func onFrame(_ frame: borrowing TensorFrame) {
                pending = (try? frame.withTensor(of: Float.self) { tensor in tensor[1, 2] }) ?? .nan
            }
            mutating func onFrameCompleted(seq: UInt64, intact: Bool) {
                if intact { frames += 1; sum += pending }   // torn: discard what onFrame read
            }
        }
        var consumerConfig = ConsumerConfiguration(user: "example")
        consumerConfig.aeron = AeronEndpointConfiguration(aeronDir: aeronDir)
        let consumer = try TensorPoolConsumer(configuration: consumerConfig, aeron: aeron, handler: Reader(),
                                              options: ConsumerOptions(shmRootDir: shmRoot))
        defer { consumer.close() }

        // 4. Invoker mode: drive both roles from this loop (or host each on an AgentRunner thread).
        let layout = TensorLayout(dtype: .float32, shape: [4, 8])
        var values = [Float](repeating: 0, count: 32)
        values[1 * 8 + 2] = 42
        let deadline = TensorPoolClock.monotonicNs() + 20_000_000_000
        while consumer.handler.frames < 10 && TensorPoolClock.monotonicNs() < deadline {
            let now = TensorPoolClock.monotonicNs()
            _ = try producer.doWork(nowNs: now)
            _ = try consumer.doWork(nowNs: now)
            if consumer.mappedEpoch != nil {
                values.withUnsafeBytes { bytes in
                    _ = producer.publish(bytes, layout: layout, timestampNs: now, nowNs: now)
                }
            }
        }
        // EXAMPLE-END
        return (consumer.handler.frames, consumer.handler.sum)
    }

    @Test func readmeExampleRuns() throws {
        let unique = "\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
        let aeronDir = "/dev/shm/tp-readme-aeron-\(unique)"
        let shmRoot = "/dev/shm/tp-readme-shm-\(unique)"
        try FileManager.default.createDirectory(atPath: shmRoot, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: shmRoot) }
        let result = try Self.runExample(aeronDir: aeronDir, shmRoot: shmRoot)
        #expect(result.frames >= 10)
        #expect(result.sum == Float(result.frames) * 42)
    }

    @Test func readmeShowsThisExample() throws {
        let testSource = try String(contentsOfFile: #filePath, encoding: .utf8)
        let readmePath = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/TensorPool/README.md").path
        let readme = try String(contentsOfFile: readmePath, encoding: .utf8)
        let begin = try #require(testSource.range(of: "// EXAMPLE-BEGIN\n"))
        let end = try #require(testSource.range(of: "        // EXAMPLE-END"))
        let example = testSource[begin.upperBound..<end.lowerBound]
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : String($0) }
            .joined(separator: "\n")
        #expect(readme.contains(example), "README.md must contain the example of ReadmeExampleTests verbatim")
    }
}
