namespace StreamMasking.Broker.Storage;

/// <summary>
/// Wakes long-polling fetchers when any log changes (append, marker, LSO move, topic deletion). Take
/// <see cref="Next"/> before inspecting the logs, then await it: no wake-up can be missed in between.
/// </summary>
internal sealed class LogChangeNotifier
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task completed by the next <see cref="Notify"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify()
    {
        var previous = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}
