namespace StreamMasking.Testing.Kafka;

/// <summary>
/// Scripted failures of the fake clients: the n-th call of a method (counted over every client of the factory,
/// by member name such as <c>"CommitTransaction"</c>) throws the given exception, for one call or several.
/// </summary>
public sealed class FailureScript
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly List<(string Method, int From, int Until, Func<Exception> Failure)> _failures = [];

    /// <summary>
    /// Makes call number <paramref name="onCall"/> (1 for the first) of <paramref name="method"/>, and the
    /// <paramref name="times"/> − 1 calls after it, throw <paramref name="failure"/>().
    /// </summary>
    public FailureScript Fail(string method, int onCall, Func<Exception> failure, int times = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(onCall, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_gate)
        {
            _failures.Add((method, onCall, onCall + times - 1, failure));
        }

        return this;
    }

    /// <summary>How many times <paramref name="method"/> was called (failed calls included).</summary>
    public int Calls(string method)
    {
        lock (_gate)
        {
            return _calls.GetValueOrDefault(method);
        }
    }

    // Counts a call of method and throws when the script says this call fails.
    internal void Call(string method)
    {
        Func<Exception>? failure;
        lock (_gate)
        {
            var n = _calls[method] = _calls.GetValueOrDefault(method) + 1;
            failure = _failures.FirstOrDefault(f => f.Method == method && n >= f.From && n <= f.Until).Failure;
        }

        if (failure is not null)
        {
            throw failure();
        }
    }
}
