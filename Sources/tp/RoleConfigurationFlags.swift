import ArgumentParser
import TensorPool

// How the role commands' flags override a loaded configuration. Each command declares its own flags (their help
// says what they mean for that role); the overriding rules are the same everywhere.

extension ConsumerConfiguration {
    /// Applies a consuming role's flags: stream, Aeron directory and frame selection.
    ///
    /// - Parameter decimationSelectsDecimatedMode: `--decimation` without `--mode` selects DECIMATED.
    /// - Throws: `ValidationError` for an unknown mode or a decimation of 0.
    mutating func applyRoleFlags(streamId: UInt32?, aeronDir: String?, mode: String?, decimation: UInt16?,
                                 maxRateHz: UInt16?, consumerId: UInt32?,
                                 decimationSelectsDecimatedMode: Bool = false) throws {
        if let streamId { self.streamId = streamId }
        if let mode {
            guard let parsed = ConsumerMode(name: mode) else { throw ValidationError("unknown --mode \(mode)") }
            modeSettings.mode = parsed
        } else if decimationSelectsDecimatedMode, decimation != nil {
            modeSettings.mode = .decimated
        }
        if let decimation {
            guard decimation >= 1 else { throw ValidationError("--decimation must be >= 1") }
            modeSettings.decimation = decimation
        }
        if let maxRateHz { modeSettings.maxRateHz = maxRateHz }
        if let consumerId { self.consumerId = consumerId }
        if let aeronDir { aeron.aeronDir = aeronDir }
    }
}

extension ProducerConfiguration {
    /// Applies a producing role's flags: stream, ids, ring size, SHM root, Aeron directory and payload pools.
    ///
    /// - Parameters:
    ///   - strideBytes: one pool of this stride, when given.
    ///   - defaultPools: the pools otherwise, unless `--config` has a `[producer]` section (its pools stand).
    mutating func applyRoleFlags(streamId: UInt32?, connection: DemoConnectionOptions, loaded: TensorPoolConfiguration,
                                 producerId: UInt32?, nslots: UInt32?, strideBytes: UInt32?,
                                 defaultPools: @autoclosure () -> [PayloadPoolConfiguration]) {
        if let streamId { self.streamId = streamId }
        if let producerId { self.producerId = producerId }
        if let nslots { headerNslots = nslots }
        if let root = connection.shmRoot { shmRootDir = root }
        if let dir = connection.aeronDir { aeron.aeronDir = dir }
        if let strideBytes {
            payloadPools = [PayloadPoolConfiguration(poolId: 1, strideBytes: strideBytes)]
        } else if !loaded.presentSections.contains("producer") || connection.config == nil {
            payloadPools = defaultPools()
        }
    }
}
