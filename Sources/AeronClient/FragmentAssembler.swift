import SharedMemory
import AeronConcurrent

/// Reassembles fragmented messages (PROTOCOL_FACTS §9.3) per session before handing them on. Unfragmented
/// messages pass straight through; a fragment that does not continue the message in progress drops it.
/// One assembler per polling thread. After each session's first fragmented message, allocation-free.
///
/// For ``Subscription/controlledPoll(fragmentLimit:_:)`` use ``ControlledFragmentAssembler``: this assembler
/// forgets a message once delivered, so a poll that aborts on its last fragment would lose it.
public final class FragmentAssembler {
    /// One session's partial message. Its fields live behind a pointer: stored `var`s of a class would pay a
    /// dynamic exclusivity check on every access in the per-fragment path.
    @usableFromInline final class Builder {
        @usableFromInline struct State {
            @usableFromInline var base: UnsafeMutableRawPointer
            @usableFromInline var capacity: Int
            @usableFromInline var limit: Int
            @usableFromInline var nextTermOffset: Int
        }
        @usableFromInline let state: UnsafeMutablePointer<State>

        init(capacity: Int) {
            let capacity = max(capacity, 64)
            state = .allocate(capacity: 1)
            state.initialize(to: State(base: .allocate(byteCount: capacity, alignment: 64), capacity: capacity, limit: 0, nextTermOffset: -1))
        }
        deinit {
            state.pointee.base.deallocate()
            state.deallocate()
        }

        @usableFromInline func append(_ bytes: UnsafeRawBufferPointer) {
            let required = state.pointee.limit + bytes.count
            if required > state.pointee.capacity {
                var newCapacity = state.pointee.capacity
                while newCapacity < required { newCapacity *= 2 }
                let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 64)
                grown.copyMemory(from: state.pointee.base, byteCount: state.pointee.limit)
                state.pointee.base.deallocate()
                state.pointee.base = grown
                state.pointee.capacity = newCapacity
            }
            if let source = bytes.baseAddress, bytes.count > 0 {
                (state.pointee.base + state.pointee.limit).copyMemory(from: source, byteCount: bytes.count)
            }
            state.pointee.limit = required
        }
    }

    @usableFromInline var builders: [Int32: Builder] = [:]
    @usableFromInline let initialBufferLength: Int
    /// Fragments discarded because they did not continue the message in progress.
    public var droppedFragments: Int { dropped }
    @usableFromInline var dropped = 0

    /// An assembler whose per-session buffers start at `initialBufferLength` bytes and grow as needed.
    public init(initialBufferLength: Int = 4096) { self.initialBufferLength = initialBufferLength }

    /// Feeds one fragment; calls `deliver(message, header)` when a whole message is available (the header is
    /// that of the last fragment).
    @inlinable
    public func onFragment(_ payload: UnsafeRawBufferPointer, _ header: Header, _ deliver: (UnsafeRawBufferPointer, Header) -> Void) {
        let flags = header.flags
        if flags & DataFrameHeader.unfragmentedFlags == DataFrameHeader.unfragmentedFlags {
            deliver(payload, header)
            return
        }
        let termOffset = header.termOffset
        if flags & DataFrameHeader.beginFlag != 0 {
            let builder = builder(for: header.sessionId)
            builder.state.pointee.limit = 0
            builder.append(payload)
            builder.state.pointee.nextTermOffset = alignUp(termOffset + header.frameLength, to: DataFrameHeader.frameAlignment)
            return
        }
        guard let builder = builders[header.sessionId], builder.state.pointee.nextTermOffset == termOffset, builder.state.pointee.limit > 0 else {
            dropped &+= 1
            return
        }
        builder.append(payload)
        if flags & DataFrameHeader.endFlag != 0 {
            deliver(UnsafeRawBufferPointer(start: builder.state.pointee.base, count: builder.state.pointee.limit), header)
            builder.state.pointee.limit = 0
            builder.state.pointee.nextTermOffset = -1
        } else {
            builder.state.pointee.nextTermOffset = alignUp(termOffset + header.frameLength, to: DataFrameHeader.frameAlignment)
        }
    }

    @usableFromInline
    func builder(for sessionId: Int32) -> Builder {
        if let existing = builders[sessionId] { return existing }
        let created = Builder(capacity: initialBufferLength)
        builders[sessionId] = created
        return created
    }

    /// Forgets the partial message of `sessionId` (e.g. when its image goes away).
    public func removeSession(_ sessionId: Int32) { builders[sessionId] = nil }
}
