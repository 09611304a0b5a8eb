extension ConsumerModeSettings {
    /// These settings with the mode and decimation of a `ConsumerConfig` command; rate limit and
    /// resync threshold are local and kept. Decimation is forced to 1 unless the mode is DECIMATED.
    public func applying(_ command: ConsumerConfigCommand) -> ConsumerModeSettings {
        var s = self
        s.mode = command.mode
        s.decimation = command.mode == .decimated ? command.decimation : 1
        return s
    }
}
