import SharedMemory
import AeronConcurrent

/// Reassembles fragmented messages for ``Image/controlledPoll(fragmentLimit:_:)`` and
/// ``Subscription/controlledPoll(fragmentLimit:_:)``, honouring the delegate's ``ControlledPollAction`` for whole
/// messages.
///
/// The point is ``ControlledPollAction/abort`` on a reassembled message: the poll then leaves the message's last
/// fragment in the log, so the assembler keeps everything before it and drops only that fragment's bytes; the next
/// poll re-reads the last fragment and the delegate gets the same whole message again. (``FragmentAssembler`` cannot
/// do this: it forgets the message once delivered, so an aborted message would be lost.) Fragments of one session
/// must arrive in order; a fragment that does not continue the message in progress drops it.
///
/// One assembler per polling thread. The delegate gets the header of the message's last fragment (its position is
/// the position after the whole message). After each session's first fragmented message, allocation-free.
///
/// ```swift
/// let assembler = ControlledFragmentAssembler()
/// _ = subscription.controlledPoll(fragmentLimit: 10) { payload, header in
///     assembler.onFragment(payload, header) { message, header in
///         canHandle(message) ? .commit : .abort
///     }
/// }
/// ```
public final class ControlledFragmentAssembler {
    @usableFromInline var builders: [Int32: FragmentAssembler.Builder] = [:]
    @usableFromInline let initialBufferLength: Int
    /// Fragments discarded because they did not continue the message in progress.
    public var droppedFragments: Int { dropped }
    @usableFromInline var dropped = 0

    /// An assembler whose per-session buffers start at `initialBufferLength` bytes and grow as needed.
    public init(initialBufferLength: Int = 4096) { self.initialBufferLength = initialBufferLength }

    /// Feeds one fragment and returns the action for the poll: the delegate's action when a whole message was
    /// delivered, ``ControlledPollAction/continuePoll`` while a message is still being assembled.
    @inlinable
    public func onFragment(_ payload: UnsafeRawBufferPointer, _ header: Header,
                           _ deliver: (UnsafeRawBufferPointer, Header) -> ControlledPollAction) -> ControlledPollAction {
        let flags = header.flags
        if flags & DataFrameHeader.unfragmentedFlags == DataFrameHeader.unfragmentedFlags {
            return deliver(payload, header)
        }
        let termOffset = header.termOffset
        if flags & DataFrameHeader.beginFlag != 0 {
            let builder = builder(for: header.sessionId)
            builder.state.pointee.limit = 0
            builder.append(payload)
            builder.state.pointee.nextTermOffset = alignUp(termOffset + header.frameLength, to: DataFrameHeader.frameAlignment)
            return .continuePoll
        }
        guard let builder = builders[header.sessionId], builder.state.pointee.limit > 0 else {
            dropped &+= 1
            return .continuePoll
        }
        guard builder.state.pointee.nextTermOffset == termOffset else {
            builder.state.pointee.limit = 0
            builder.state.pointee.nextTermOffset = -1
            dropped &+= 1
            return .continuePoll
        }
        let limitBefore = builder.state.pointee.limit
        builder.append(payload)
        if flags & DataFrameHeader.endFlag == 0 {
            builder.state.pointee.nextTermOffset = alignUp(termOffset + header.frameLength, to: DataFrameHeader.frameAlignment)
            return .continuePoll
        }
        let action = deliver(UnsafeRawBufferPointer(start: builder.state.pointee.base, count: builder.state.pointee.limit), header)
        if action == .abort {
            // The poll leaves this last fragment in the log: forget only its bytes and expect it again.
            builder.state.pointee.limit = limitBefore
        } else {
            builder.state.pointee.limit = 0
            builder.state.pointee.nextTermOffset = -1
        }
        return action
    }

    @usableFromInline
    func builder(for sessionId: Int32) -> FragmentAssembler.Builder {
        if let existing = builders[sessionId] { return existing }
        let created = FragmentAssembler.Builder(capacity: initialBufferLength)
        builders[sessionId] = created
        return created
    }

    /// Forgets the partial message of `sessionId` (e.g. when its image goes away).
    public func removeSession(_ sessionId: Int32) { builders[sessionId] = nil }
}
