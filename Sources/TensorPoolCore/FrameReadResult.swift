/// The outcome of a seqlock read: the closure's result for a frame that was stable for the whole read, or why
/// it was dropped.
public enum FrameReadResult<Value> {
    /// The commit word was even, equal to `seq << 1`, and unchanged after the closure returned.
    case accepted(Value)
    /// The frame was dropped; any value the closure computed was discarded.
    case dropped(FrameDrop)

    /// The accepted value, or `nil`.
    @inlinable public var value: Value? {
        if case .accepted(let v) = self { return v }
        return nil
    }

    /// The drop reason, or `nil` when accepted.
    @inlinable public var drop: FrameDrop? {
        if case .dropped(let d) = self { return d }
        return nil
    }
}

extension FrameReadResult: Sendable where Value: Sendable {}
extension FrameReadResult: Equatable where Value: Equatable {}
