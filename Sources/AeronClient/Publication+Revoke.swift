extension Publication {
    /// Closes the publication and revokes it (REMOVE_PUBLICATION with the revoke flag, 1.48+ drivers): when this
    /// was the last user of the log, the driver ends the stream at the current position at once instead of
    /// letting subscribers drain it — images report ``Image/isPublicationRevoked`` and end of stream, then go
    /// unavailable. Blocks until the driver confirms; does nothing if already closed.
    public func revoke() throws(AeronError) {
        guard closedFlag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        try conductor?.releasePublication(registrationId: registrationId, revoke: true)
    }
}

extension ExclusivePublication {
    /// Closes the publication and revokes it (see ``Publication/revoke()``): subscribers see the stream end at
    /// the current position without draining. Blocks until the driver confirms; does nothing if already closed.
    public func revoke() throws(AeronError) {
        guard closedFlag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        try conductor?.releasePublication(registrationId: registrationId, revoke: true)
    }
}
