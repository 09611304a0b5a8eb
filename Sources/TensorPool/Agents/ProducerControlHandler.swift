import SBE
import TensorPoolCodecs

/// A producer handed to ``ControlPlane/poll(_:nowNs:fragmentLimit:)`` as its `inout` handler without a strong
/// reference: `var handler = self` cost a retain/release pair per duty cycle. Built in
/// ``TensorPoolProducer/doWork(nowNs:)``, which keeps the producer alive for the whole poll. Forwards every `on…`
/// method the producer implements (a new one must be forwarded here too, or its messages are ignored).
struct ProducerControlHandler: ControlMessageHandler {
    unowned(unsafe) let producer: TensorPoolProducer

    init(_ producer: TensorPoolProducer) { self.producer = producer }

    mutating func onConsumerHello(_ message: ConsumerHelloDecoder, nowNs: UInt64) throws(SBEError) {
        try producer.onConsumerHello(message, nowNs: nowNs)
    }
    mutating func onQosConsumer(_ message: QosConsumerDecoder, nowNs: UInt64) throws(SBEError) {
        try producer.onQosConsumer(message, nowNs: nowNs)
    }
}
