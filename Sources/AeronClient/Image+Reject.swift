import AeronConcurrent

extension Image {
    /// Tells the driver this subscriber rejects the image (REJECT_IMAGE, 1.47+ drivers) and waits for its answer.
    ///
    /// The driver reports the rejection to the publisher (``AeronContext/publicationErrorHandler`` gets a
    /// ``PublicationError`` with ``AeronErrorCode/imageRejected`` and `reason`). For IPC the C driver also
    /// disconnects every subscriber of the publication (their images go unavailable) and refuses new ones for its
    /// image liveness timeout (10 s by default), after which the subscriptions are linked again with fresh images.
    ///
    /// - Parameter reason: why, at most 1023 bytes of UTF-8.
    /// - Throws: ``AeronError/invalidArgument(_:)`` for a longer reason, ``AeronError/driver(code:message:correlationId:)``
    ///   when the driver does not know the image (or does not support the command), ``AeronError/closed(_:)``.
    public func rejectImage(reason: String) throws(AeronError) {
        guard let conductor else { throw .closed("the client that created this image is gone") }
        let id = try conductor.asyncRejectImage(imageCorrelationId: correlationId, position: position, reason: reason)
        _ = try conductor.awaitOutcome(id)
    }
}
