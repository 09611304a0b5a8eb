/// Counters of one ``ControlPlane``: messages received per template, rejections per reason, offers and failed
/// offers. Written by the owning agent's thread, readable from any thread.
public struct ControlPlaneCounters: Sendable {
    /// Template ids tracked individually (0...15 covers every schema-900 message).
    public static let templateSlots = 16
    @usableFromInline static let rejectedBase = templateSlots
    @usableFromInline static let offeredIndex = rejectedBase + ControlMessageRejection.allCases.count
    @usableFromInline static let backPressuredIndex = offeredIndex + 1
    @usableFromInline static let notConnectedIndex = offeredIndex + 2
    @usableFromInline static let otherOfferFailureIndex = offeredIndex + 3
    @usableFromInline static let encodeFailureIndex = offeredIndex + 4

    @usableFromInline let values = SingleWriterCounters(count: encodeFailureIndex + 1)

    /// Zeroed counters. Copies share the same storage (a ``SingleWriterCounters`` object), so a copy held by a
    /// monitoring thread sees the owner's updates.
    public init() {}

    /// Messages of `templateId` decoded and handed to a handler.
    public func received(templateId: UInt16) -> UInt64 {
        Int(templateId) < Self.templateSlots ? values[Int(templateId)] : 0
    }
    /// Messages received, all templates.
    public var receivedTotal: UInt64 { (0..<Self.templateSlots).reduce(0) { $0 &+ values[$1] } }
    /// Fragments/messages rejected for `reason`.
    public func rejected(_ reason: ControlMessageRejection) -> UInt64 { values[Self.rejectedBase + reason.rawValue] }
    /// Rejections, all reasons.
    public var rejectedTotal: UInt64 { ControlMessageRejection.allCases.reduce(0) { $0 &+ rejected($1) } }
    /// Messages offered successfully.
    public var offered: UInt64 { values[Self.offeredIndex] }
    /// Offers refused with BACK_PRESSURED or ADMIN_ACTION.
    public var backPressured: UInt64 { values[Self.backPressuredIndex] }
    /// Offers refused with NOT_CONNECTED (no subscriber).
    public var notConnected: UInt64 { values[Self.notConnectedIndex] }
    /// Offers refused for another reason (closed, max position exceeded, too long).
    public var otherOfferFailures: UInt64 { values[Self.otherOfferFailureIndex] }
    /// Messages that could not be encoded (value out of range, too long for the send buffer).
    public var encodeFailures: UInt64 { values[Self.encodeFailureIndex] }

    @inlinable func countReceived(templateId: UInt16) {
        if Int(templateId) < Self.templateSlots { values.add(Int(templateId)) }
    }
    @inlinable func countRejected(_ reason: ControlMessageRejection) { values.add(Self.rejectedBase + reason.rawValue) }
    @inlinable func countOffered() { values.add(Self.offeredIndex) }
    @inlinable func countBackPressured() { values.add(Self.backPressuredIndex) }
    @inlinable func countNotConnected() { values.add(Self.notConnectedIndex) }
    @inlinable func countOtherOfferFailure() { values.add(Self.otherOfferFailureIndex) }
    @inlinable func countEncodeFailure() { values.add(Self.encodeFailureIndex) }
}
