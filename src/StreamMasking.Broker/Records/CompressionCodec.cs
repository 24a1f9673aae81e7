namespace StreamMasking.Broker.Records;

/// <summary>Compression codec in the low three attribute bits of a record batch.</summary>
internal enum CompressionCodec
{
    None = 0,
    Gzip = 1,
    Snappy = 2,
    Lz4 = 3,
    Zstd = 4,
}
