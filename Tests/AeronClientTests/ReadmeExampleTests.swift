import Testing
import AeronClient
import AeronInteropSupport

// The example of Sources/AeronClient/README.md, verbatim, so it keeps compiling.
func helloAeron(directory: String) throws -> Int {
    var context = AeronContext(directory: directory)   // default: AERON_DIR or /dev/shm/aeron-$USER
    context.driverTimeoutMs = 5_000
    let aeron = try Aeron.connect(context)              // waits for a live driver, checks the CnC version
    defer { aeron.close() }                              // CLIENT_CLOSE: the driver releases everything

    let subscription = try aeron.addSubscription(channel: "aeron:ipc", streamId: 1001)
    let publication = try aeron.addExclusivePublication(channel: "aeron:ipc", streamId: 1001)

    let message = Array("hello".utf8)
    var result = PublicationResult.notConnected
    while result.position == nil {                       // BACK_PRESSURED / NOT_CONNECTED / ADMIN_ACTION: retry
        result = message.withUnsafeBytes { publication.offer($0) }
        if result == .closed { throw AeronError.closed("publication") }
    }

    let assembler = FragmentAssembler()                  // reassembles messages larger than the MTU
    var received = 0
    while received == 0 {
        _ = subscription.poll(fragmentLimit: 10) { fragment, header in
            assembler.onFragment(fragment, header) { message, header in
                received += message.count                // `message` is only valid inside the handler
            }
        }
    }
    return received
}

@Suite(.serialized) struct ReadmeExampleTests {
    @Test func readmeExampleRunsAgainstTheRealDriver() throws {
        let driver = try RealAeronMediaDriver()
        #expect(try helloAeron(directory: driver.path) == 5)
    }
}
