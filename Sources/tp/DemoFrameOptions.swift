import ArgumentParser
import TensorPool
import TensorPoolCore

/// Frame-shape options shared by `tp producer` and `tp demo`.
struct DemoFrameOptions: ParsableArguments {
    @Option(help: "Frames per second (0 = as fast as possible).")
    var rate: Double = 100

    @Option(help: "Tensor shape, e.g. 480x640 (overrides --size).")
    var shape: String?

    @Option(help: "Frame size in bytes (a 1-D tensor of --dtype; default 65536).")
    var size: Int?

    @Option(help: "Element type: uint8, int8, uint16, int16, uint32, int32, uint64, int64, float32, float64.")
    var dtype: String = "uint8"

    @Flag(help: "Write frames in place into claimed slots (zero-copy path) instead of copying them.")
    var zeroCopy = false

    func layout() throws -> TensorLayout {
        guard let dtype = Self.dtype(named: dtype) else { throw ValidationError("unknown --dtype \(self.dtype)") }
        let elementSize = dtype.elementSize ?? 1
        if let shape {
            let dims = shape.split(separator: "x").compactMap { Int($0) }
            guard !dims.isEmpty, dims.count <= 8, dims.allSatisfy({ $0 > 0 }), dims.count == shape.split(separator: "x").count else {
                throw ValidationError("invalid --shape \(shape) (expected e.g. 480x640, 1 to 8 positive extents)")
            }
            return TensorLayout(dtype: dtype, shape: dims)
        }
        let bytes = size ?? 65_536
        guard bytes > 0, bytes % elementSize == 0 else {
            throw ValidationError("--size \(bytes) must be a positive multiple of the \(elementSize)-byte element")
        }
        return TensorLayout(dtype: dtype, shape: [bytes / elementSize])
    }

    static func dtype(named name: String) -> Dtype? {
        switch name.lowercased() {
        case "uint8", "u8": .uint8
        case "int8", "i8": .int8
        case "uint16", "u16": .uint16
        case "int16", "i16": .int16
        case "uint32", "u32": .uint32
        case "int32", "i32": .int32
        case "uint64", "u64": .uint64
        case "int64", "i64": .int64
        case "float32", "f32", "float": .float32
        case "float64", "f64", "double": .float64
        default: nil
        }
    }

    /// One pool whose stride is the next power of two ≥ the frame (at least a page).
    static func pools(for byteCount: Int) -> [PayloadPoolConfiguration] {
        var stride = 4096
        while stride < byteCount { stride <<= 1 }
        return [PayloadPoolConfiguration(poolId: 1, strideBytes: UInt32(min(stride, 1 << 30)))]
    }
}

/// Aeron / SHM location options shared by the role commands.
struct DemoConnectionOptions: ParsableArguments {
    @Option(help: "TOML configuration file ([producer]/[consumer] sections; TP_* environment overrides apply).")
    var config: String?

    @Option(help: "Connect to the media driver in this Aeron directory (e.g. the Aeron C driver or `tp driver`) instead of the embedded one.")
    var aeronDir: String?

    @Flag(inversion: .prefixedNo, help: "Without --aeron-dir: launch the embedded Swift driver in the configured aeron_dir (or use the driver already running there).")
    var embeddedDriver = true

    @Option(help: "SHM root directory (default: configured shm_root_dir, /dev/shm/tensorpool-$USER).")
    var shmRoot: String?

    @Option(help: "Data source stream id.")
    var streamId: UInt32?

    func loadConfiguration() throws -> TensorPoolConfiguration {
        let environment = ProcessInfoEnvironment.current
        if let config { return try TensorPoolConfiguration.load(path: config, environment: environment) }
        return try TensorPoolConfiguration.parse(toml: "", environment: environment)
    }
}
