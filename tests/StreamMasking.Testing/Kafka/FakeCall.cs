namespace StreamMasking.Testing.Kafka;

/// <summary>One call of a fake client, in the order made.</summary>
/// <param name="Method">Member name, e.g. <c>"CommitTransaction"</c>.</param>
/// <param name="Failure">What the call threw, null when it succeeded.</param>
public sealed record FakeCall(string Method, Exception? Failure)
{
    /// <summary>The method name, with <c>!</c> appended when the call failed.</summary>
    public override string ToString() => Failure is null ? Method : Method + "!";
}
