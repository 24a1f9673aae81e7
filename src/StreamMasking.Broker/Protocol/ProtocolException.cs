namespace StreamMasking.Broker.Protocol;

/// <summary>A request that cannot be parsed. Kafka answers malformed requests by closing the connection.</summary>
internal sealed class ProtocolException : Exception
{
    public ProtocolException()
    {
    }

    public ProtocolException(string message)
        : base(message)
    {
    }

    public ProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
