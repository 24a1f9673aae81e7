using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Storage;

/// <summary>Outcome of an append: error, assigned base offset, log-append time (-1 for CreateTime) and log start offset.</summary>
internal readonly record struct AppendResult(ErrorCode Error, long BaseOffset, long LogAppendTime, long LogStartOffset, string? Message = null)
{
    public static AppendResult Failed(ErrorCode error, string? message = null) => new(error, -1, -1, -1, message);
}
