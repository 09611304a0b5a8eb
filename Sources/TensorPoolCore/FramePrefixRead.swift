/// The outcome of a prefix read of a frame in progress (``SeqlockReader/withPrefix(frameId:headerIndex:bytesFilled:_:)``).
public enum FramePrefixRead<Value> {
    /// The slot held the frame (WRITING or COMMITTED, same `frame_id`) before and after the closure: the prefix the
    /// closure read was what the producer wrote.
    case intact(Value)
    /// The producer reclaimed the slot for a later frame while the closure ran: what it read may be torn and must
    /// be discarded (the closure's value was).
    case torn
    /// No prefix was handed out (the closure did not run).
    case refused(FramePrefixRefusal)

    /// The value of an intact read, or `nil`.
    @inlinable public var value: Value? {
        if case .intact(let v) = self { return v }
        return nil
    }
}

extension FramePrefixRead: Sendable where Value: Sendable {}
extension FramePrefixRead: Equatable where Value: Equatable {}
