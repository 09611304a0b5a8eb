import TensorPoolCodecs

extension ConsumerMode {
    /// The mode of a wire `Mode`, or `nil` for a value the schema does not define.
    @inlinable
    public init?(wire: Mode) {
        switch wire {
        case .stream: self = .stream
        case .latest: self = .latest
        case .decimated: self = .decimated
        case .unrecognized: return nil
        }
    }

    /// The wire `Mode`.
    @inlinable
    public var wire: Mode {
        switch self {
        case .stream: .stream
        case .latest: .latest
        case .decimated: .decimated
        }
    }

    static func decode(_ wire: Mode, field: String) throws(WireDecodingError) -> ConsumerMode {
        guard let mode = ConsumerMode(wire: wire) else { throw .unrecognizedEnum(field: field, raw: wire.rawValue) }
        return mode
    }
}

extension BoolEnum {
    func decode(field: String) throws(WireDecodingError) -> Bool {
        switch self {
        case .true: return true
        case .false: return false
        case .unrecognized(let raw): throw .unrecognizedEnum(field: field, raw: raw)
        }
    }

    init(_ value: Bool) { self = value ? .true : .false }
}
