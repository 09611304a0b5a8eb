import ArgumentParser

/// The `tp` command: drivers, roles, demo, inspection and wire tools for the Aeron Tensor Pool.
@main
struct TP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tp",
        abstract: "Aeron Tensor Pool: zero-copy shared-memory tensor transport coordinated over Aeron.",
        subcommands: [
            DriverCommand.self,
            WireCommand.self,
            ConfigCommand.self,
            Inspect.self,
            Stress.self,
            Bench.self,
            ProducerCommand.self,
            ConsumerCommand.self,
            DemoCommand.self,
            AeronCommand.self,
            SupervisorCommand.self,
            SendConsumerConfigCommand.self,
            CleanCommand.self,
            StatCommand.self,
            DecimatorCommand.self,
            BridgeCommand.self,
        ]
    )
}
