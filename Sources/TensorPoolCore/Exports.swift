// The region and slot types speak the schema's enums (Dtype, MajorOrder, RegionType) in their public API.
@_exported import TensorPoolCodecs
