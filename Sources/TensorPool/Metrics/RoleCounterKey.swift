import SharedMemory

/// The key bytes of a tensor-pool counter, so tools can find counters by stream and role instance without
/// parsing labels.
///
/// Layout (little-endian, 12 of the 112 key bytes): `u32 streamId` @0 (`0xFFFFFFFF` = not tied to a
/// stream, e.g. a supervisor), `u32 instanceId` @4 (producer id, consumer id or supervisor id), `u8 role`
/// @8, 3 bytes padding.
public struct RoleCounterKey: Sendable, Hashable {
    /// Encoded length in bytes.
    public static let length = 12
    /// `streamId` value meaning "no stream".
    public static let noStream: UInt32 = 0xFFFF_FFFF

    /// Stream the role instance serves (spec §5 `stream_id`); `nil` for a role tied to no stream, such as a
    /// supervisor, encoded as ``noStream``.
    public var streamId: UInt32?
    /// Producer id, consumer id or supervisor id, so two instances on one stream get distinct keys.
    public var instanceId: UInt32
    /// Which role's counter set this is; byte 8 of the key, the byte ``init(decoding:)`` checks.
    public var role: CounterRole

    /// A key for the counters of one role instance; `streamId` nil means "no stream".
    public init(streamId: UInt32?, instanceId: UInt32, role: CounterRole) {
        self.streamId = streamId
        self.instanceId = instanceId
        self.role = role
    }

    /// The key bytes for ADD_COUNTER.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.length)
        let stream = streamId ?? Self.noStream
        for i in 0..<4 {
            out[i] = UInt8(truncatingIfNeeded: stream >> (8 * i))
            out[4 + i] = UInt8(truncatingIfNeeded: instanceId >> (8 * i))
        }
        out[8] = role.rawValue
        return out
    }

    /// Decodes a key from a counter's key buffer; `nil` when the role byte is unknown.
    public init?(decoding key: AtomicBuffer) {
        guard key.capacity >= Self.length, let role = CounterRole(rawValue: key.uint8(at: 8)) else { return nil }
        let stream = key.uint32(at: 0)
        self.init(streamId: stream == Self.noStream ? nil : stream, instanceId: key.uint32(at: 4), role: role)
    }
}
