import AeronConcurrent

/// The conductor as an ``Agent`` for the shared ``AgentRunner`` (non-invoker mode): one duty cycle per call,
/// timed with the monotonic clock; idles by sleeping 1 ms when there was nothing to do.
struct ClientConductorAgent: Agent {
    let conductor: ClientConductor
    var roleName: String { "aeron-client" }

    mutating func onStart() throws { conductor.markConductorThread() }

    mutating func doWork() throws -> Int { conductor.doWork(nowNs: AeronClock.nanoTime()) }
}

/// The runner type the client uses for its background conductor.
typealias ClientConductorRunner = AgentRunner<ClientConductorAgent, SleepingIdleStrategy>
