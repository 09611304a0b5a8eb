import SBE

extension Unmanaged {
    /// Runs `call` on the referenced object without retaining it, passing on a decoding error. For the control
    /// handlers a role builds for one poll (`ConsumerControlHandler`, `ProducerControlHandler`): an
    /// `unowned(unsafe)` reference, or a strong copy, still cost a retain and a release around every forwarded
    /// message. The caller keeps the object alive for the whole call.
    @inlinable @inline(__always)
    func withGuaranteedCall(_ call: (Instance) throws(SBEError) -> Void) throws(SBEError) {
        let failure: SBEError? = _withUnsafeGuaranteedRef { instance in
            do throws(SBEError) {
                try call(instance)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }
}
