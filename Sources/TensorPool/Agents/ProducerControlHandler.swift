import SBE
import TensorPoolCodecs

/// A producer handed to ``ControlPlane/poll(_:nowNs:fragmentLimit:)`` as its `inout` handler without a strong
/// reference: `var handler = self` cost a retain/release pair per duty cycle, and an `unowned(unsafe)` reference one
/// per forwarded message (`Unmanaged.withGuaranteedCall(_:)` costs neither). Built in
/// ``TensorPoolProducer/doWork(nowNs:)``, which keeps the producer alive for the whole poll. Forwards every `on…`
/// method the producer implements (a new one must be forwarded here too, or its messages are ignored).
struct ProducerControlHandler: ControlMessageHandler {
    let producer: Unmanaged<TensorPoolProducer>

    init(_ producer: TensorPoolProducer) { self.producer = .passUnretained(producer) }

    mutating func onConsumerHello(_ message: ConsumerHelloDecoder, nowNs: UInt64) throws(SBEError) {
        try producer.withGuaranteedCall { (p) throws(SBEError) in try p.onConsumerHello(message, nowNs: nowNs) }
    }
    mutating func onQosConsumer(_ message: QosConsumerDecoder, nowNs: UInt64) throws(SBEError) {
        try producer.withGuaranteedCall { (p) throws(SBEError) in try p.onQosConsumer(message, nowNs: nowNs) }
    }
}
