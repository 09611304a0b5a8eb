import TensorPoolCore

/// A Swift scalar type that a tensor's `dtype` maps to (spec §15.8 registry). Used by
/// ``TensorFrame/withTensor(of:_:)`` to check that the requested element type matches the frame's dtype.
public protocol TensorElement: BitwiseCopyable {
    /// The wire dtype of this element type.
    static var dtype: Dtype { get }
}

extension UInt8: TensorElement { public static var dtype: Dtype { .uint8 } }
extension Int8: TensorElement { public static var dtype: Dtype { .int8 } }
extension UInt16: TensorElement { public static var dtype: Dtype { .uint16 } }
extension Int16: TensorElement { public static var dtype: Dtype { .int16 } }
extension UInt32: TensorElement { public static var dtype: Dtype { .uint32 } }
extension Int32: TensorElement { public static var dtype: Dtype { .int32 } }
extension UInt64: TensorElement { public static var dtype: Dtype { .uint64 } }
extension Int64: TensorElement { public static var dtype: Dtype { .int64 } }
extension Float: TensorElement { public static var dtype: Dtype { .float32 } }
extension Double: TensorElement { public static var dtype: Dtype { .float64 } }

/// Why a typed view of a frame could not be made.
public enum TensorAccessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The requested Swift element type does not match the frame's dtype.
    case dtypeMismatch(requested: Dtype, actual: Dtype)
    /// The dtype has no fixed element size (BIT, UNKNOWN, unrecognized): use the raw bytes.
    case noElementSize(Dtype)

    /// Names both dtypes (or the size-less one), so the caller knows which element type to request instead.
    public var description: String {
        switch self {
        case .dtypeMismatch(let requested, let actual):
            "element type is \(requested.displayName) but the frame's dtype is \(actual.displayName)"
        case .noElementSize(let dtype): "dtype \(dtype.displayName) has no element size; read the raw bytes"
        }
    }
}
