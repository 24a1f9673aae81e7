namespace StreamMasking.Runtime.Serialization;

/// <summary>
/// The schema registry could not answer (unreachable, timing out, 5xx, refusing our credentials) after every
/// attempt. Thrown out of the processor so that the loop aborts and re-reads: the record is not dead-lettered, since
/// nothing is wrong with it, and the stage makes no progress until the registry answers.
/// </summary>
public sealed class SchemaRegistryUnavailableException : Exception
{
    public SchemaRegistryUnavailableException()
        : base("The schema registry did not answer.")
    {
    }

    public SchemaRegistryUnavailableException(string message)
        : base(message)
    {
    }

    public SchemaRegistryUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
