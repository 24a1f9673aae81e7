namespace StreamMasking.Broker.Faults;

/// <summary>A connection that fault injection can drop.</summary>
internal interface IFaultTarget
{
    string? ClientId { get; }

    void Abort();
}
