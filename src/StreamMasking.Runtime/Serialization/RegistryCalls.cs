using System.Net;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;

namespace StreamMasking.Runtime.Serialization;

/// <summary>
/// Runs a registry call with bounded attempts. Answers that are about the request (4xx other than auth) are
/// returned to the caller as <see cref="SchemaRegistryException"/>; anything that says the registry is not
/// serving us (no connection, timeout, 5xx, 401/403, 429) is retried, then reported as
/// <see cref="SchemaRegistryUnavailableException"/>.
/// </summary>
internal sealed class RegistryCalls(int maxAttempts, TimeSpan backoff, ILogger logger)
{
    internal T Run<T>(string operation, Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return call().GetAwaiter().GetResult();
            }
            catch (Exception e) when (IsUnavailable(e))
            {
                logger.RegistryCallFailed(operation, attempt, maxAttempts, RegistryClients.Describe(e));
                if (attempt >= maxAttempts)
                {
                    logger.RegistryUnavailable(operation, maxAttempts);
                    throw new SchemaRegistryUnavailableException($"Schema registry unavailable for {operation}.", e);
                }

                Thread.Sleep(backoff * attempt);
            }
        }
    }

    internal static bool IsUnavailable(Exception e) => e switch
    {
        SchemaRegistryException s => (int)s.Status >= 500 || s.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout,
        HttpRequestException or TaskCanceledException or TimeoutException or IOException => true,
        AggregateException a => a.InnerExceptions.Any(IsUnavailable),
        _ => false,
    };
}
