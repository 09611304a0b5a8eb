import AeronClient
import AeronConcurrent
import SBE
import TensorPoolCodecs

/// The supervisor wired to Aeron: subscribes to the control, QoS and metadata streams, feeds every
/// message to a ``SupervisorInbox``, sweeps liveness at the QoS cadence and publishes the
/// `ConsumerConfig` commands of the drop-rate policy on the control stream.
///
/// Driven by ``doWork(nowNs:)`` from one thread (the caller's loop or an agent runner). Commands that
/// cannot be sent yet (no subscriber, back pressure) stay queued (at most ``maxQueuedCommands``, the
/// oldest are dropped and counted) and are retried on the next duty cycle.
public final class SupervisorAgent {
    /// Most commands kept while they cannot be sent.
    public static let maxQueuedCommands = 64

    public let configuration: SupervisorConfiguration
    /// Registry and decoding counters.
    public let inbox: SupervisorInbox
    /// Liveness changes of the last sweep.
    public private(set) var lastTransitions: [SupervisorRegistry.Transition] = []
    /// `ConsumerConfig` messages published.
    public private(set) var commandsSent: UInt64 = 0
    /// Commands dropped because the queue was full or they could not be encoded or sent at all.
    public private(set) var commandsDropped: UInt64 = 0

    private let subscriptions: [Subscription]
    private let assemblers: [FragmentAssembler]
    private let controlPublication: Publication
    private var sweepTimer: CadenceTimer
    private var queued: [ConsumerConfigCommand] = []
    private let sendBuffer: UnsafeMutableRawPointer
    private static let sendCapacity = 8192

    /// Subscribes and creates the control publication through `aeron`.
    public init(configuration: SupervisorConfiguration, aeron: Aeron) throws(AeronError) {
        self.configuration = configuration
        inbox = SupervisorInbox(registry: SupervisorRegistry(parameters: configuration.registryParameters))
        let a = configuration.aeron
        var streams: [Int32] = []
        for id in [a.controlStreamId, a.qosStreamId, a.metadataStreamId] where !streams.contains(id) { streams.append(id) }
        var subs: [Subscription] = []
        for id in streams { subs.append(try aeron.addSubscription(channel: a.channel, streamId: id)) }
        subscriptions = subs
        assemblers = subs.map { _ in FragmentAssembler() }
        controlPublication = try aeron.addPublication(channel: a.channel, streamId: a.controlStreamId)
        sweepTimer = CadenceTimer(intervalNs: UInt64(configuration.qosIntervalMs) * 1_000_000)
        sendBuffer = UnsafeMutableRawPointer.allocate(byteCount: Self.sendCapacity, alignment: 8)
    }

    deinit { sendBuffer.deallocate() }

    /// One duty cycle at `nowNs` (monotonic): poll, sweep when due, send commands. Returns work done.
    @discardableResult
    public func doWork(nowNs: UInt64) -> Int {
        var work = 0
        let inbox = self.inbox
        for (subscription, assembler) in zip(subscriptions, assemblers) {
            work += subscription.poll(fragmentLimit: 64) { payload, header in
                assembler.onFragment(payload, header) { message, messageHeader in
                    guard let base = message.baseAddress else { return }
                    inbox.handle(base, length: message.count, sessionId: messageHeader.sessionId, nowNs: nowNs)
                }
            }
        }
        if sweepTimer.isDue(nowNs: nowNs) {
            lastTransitions = inbox.registry.sweep(nowNs: nowNs)
            work += lastTransitions.count
        }
        for command in inbox.registry.drainCommands() {
            if queued.count == Self.maxQueuedCommands {
                queued.removeFirst()
                commandsDropped += 1
            }
            queued.append(command)
        }
        sending: while let command = queued.first {
            switch send(command) {
            case .sent:
                commandsSent += 1
                work += 1
            case .unsendable:
                commandsDropped += 1
            case .retryLater:
                break sending
            }
            queued.removeFirst()
        }
        return work
    }

    /// Commands waiting to be sent.
    public var queuedCommands: [ConsumerConfigCommand] { queued }

    /// Status snapshot at `nowNs`.
    public func status(nowNs: UInt64) -> SupervisorStatus { inbox.registry.status(nowNs: nowNs) }

    private enum SendOutcome { case sent, retryLater, unsendable }

    private func send(_ command: ConsumerConfigCommand) -> SendOutcome {
        let length: Int
        do {
            var encoder = try ConsumerConfigEncoder(wrapAndApplyHeader: sendBuffer, offset: 0, capacity: Self.sendCapacity)
            length = try command.encode(into: &encoder)
        } catch {
            // Only an over-long or non-ASCII fallback URI fails here: such a command can never be sent.
            return .unsendable
        }
        switch controlPublication.offer(UnsafeRawBufferPointer(start: sendBuffer, count: length)) {
        case .position: return .sent
        case .closed, .maxPositionExceeded, .messageTooLong: return .unsendable
        case .notConnected, .backPressured, .adminAction: return .retryLater
        }
    }
}
