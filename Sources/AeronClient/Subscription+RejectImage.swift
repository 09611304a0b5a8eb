extension Subscription {
    /// Rejects the image with correlation id `correlationId` at `position` (see ``Image/rejectImage(reason:)``)
    /// and waits for the driver's answer.
    public func rejectImage(correlationId: Int64, position: Int64, reason: String) throws(AeronError) {
        guard let conductor else { throw .closed("the client of this subscription is gone") }
        let id = try conductor.asyncRejectImage(imageCorrelationId: correlationId, position: position, reason: reason)
        _ = try conductor.awaitOutcome(id)
    }
}
