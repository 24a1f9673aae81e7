using System.Diagnostics;

namespace StreamMasking.Host.Tests.Support;

/// <summary>Waits on a condition with a generous bound (never a fixed sleep), failing with the service's output.</summary>
internal static class Eventually
{
    internal static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, HostProcess? service, string what, TimeSpan? bound = null)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        var limit = bound ?? TimeSpan.FromMinutes(3);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (service is not null)
            {
                service.HasExited.ShouldBeFalse($"service exited while waiting for {what}: {service.Output} {service.Error}");
            }

            clock.Elapsed.ShouldBeLessThan(limit, $"timed out waiting for {what}; output: {service?.Output} {service?.Error}");
            await Task.Delay(250);
        }
    }
}
