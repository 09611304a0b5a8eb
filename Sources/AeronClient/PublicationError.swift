#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import AeronConcurrent

/// A receiver's complaint about one of this client's publications (ON_PUBLICATION_ERROR, 1.47+ drivers):
/// typically an image of the publication was rejected (``AeronErrorCode/imageRejected``) by a subscriber calling
/// ``Image/rejectImage(reason:)``.
///
/// Delivered to ``AeronContext/publicationErrorHandler`` on the client conductor, never on an offer or poll path.
public struct PublicationError: Sendable, Equatable, CustomStringConvertible {
    /// Address type of an IPv4 source (the C driver also reports IPC rejections this way).
    public static let addressTypeIPv4: Int16 = 1
    /// Address type of an IPv6 source.
    public static let addressTypeIPv6: Int16 = 2

    /// Registration id of the publication's log (``Publication/originalRegistrationId`` or
    /// ``ExclusivePublication/registrationId``).
    public let registrationId: Int64
    /// Registration id of the destination (multi-destination-cast), −1 when none.
    public let destinationRegistrationId: Int64
    /// Session id of the publication.
    public let sessionId: Int32
    /// Stream id of the publication.
    public let streamId: Int32
    /// Id of the receiver that sent the error (network), −1 for IPC.
    public let receiverId: Int64
    /// Group tag of the receiver, −1 when none.
    public let groupTag: Int64
    /// ``addressTypeIPv4``, ``addressTypeIPv6``, or another value the driver sent (then ``sourceAddress`` is nil).
    public let addressType: Int16
    /// UDP port of the source (0 for IPC).
    public let sourcePort: UInt16
    /// The 16 address bytes as sent (IPv4 uses the first 4, in network order).
    public let sourceAddressBytes: [UInt8]
    /// The driver's error code (``AeronErrorCode/imageRejected`` for a rejected image).
    public let errorCode: AeronErrorCode
    /// The reason text (for a rejected image: the reason the subscriber gave).
    public let errorMessage: String

    /// Wraps a decoded ON_PUBLICATION_ERROR.
    public init(_ frame: PublicationErrorFrame) {
        registrationId = frame.registrationId
        destinationRegistrationId = frame.destinationRegistrationId
        sessionId = frame.sessionId
        streamId = frame.streamId
        receiverId = frame.receiverId
        groupTag = frame.groupTag
        addressType = frame.addressType
        sourcePort = frame.sourcePort
        sourceAddressBytes = frame.sourceAddress
        errorCode = AeronErrorCode(rawValue: frame.errorCode)
        errorMessage = frame.errorMessage
    }

    /// The source address in text form (`a.b.c.d` or an IPv6 literal), nil for an unknown address type.
    public var sourceAddress: String? {
        let bytes = sourceAddressBytes + [UInt8](repeating: 0, count: max(0, 16 - sourceAddressBytes.count))
        switch addressType {
        case Self.addressTypeIPv4:
            return "\(bytes[0]).\(bytes[1]).\(bytes[2]).\(bytes[3])"
        case Self.addressTypeIPv6:
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
            let ok = bytes.withUnsafeBytes { raw in inet_ntop(AF_INET6, raw.baseAddress, &text, socklen_t(text.count)) != nil }
            guard ok else { return nil }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        default:
            return nil
        }
    }

    /// One line naming the code, the publication and the source.
    public var description: String {
        "publication error \(errorCode) (\(errorCode.rawValue)) registrationId=\(registrationId) sessionId=\(sessionId) "
            + "streamId=\(streamId) source=\(sourceAddress ?? "?"):\(sourcePort): \(errorMessage)"
    }
}
