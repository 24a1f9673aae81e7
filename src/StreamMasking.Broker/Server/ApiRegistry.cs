using System.Reflection;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Server;

/// <summary>
/// The set of implemented APIs. ApiVersions is answered from this registry, so the broker advertises exactly what
/// it implements.
/// </summary>
internal sealed class ApiRegistry
{
    private readonly SortedDictionary<short, IApiHandler> _handlers = [];

    public void Register(IApiHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!_handlers.TryAdd((short)handler.ApiKey, handler))
        {
            throw new InvalidOperationException($"API {handler.ApiKey} is registered twice.");
        }
    }

    public bool TryGet(ApiKey key, out IApiHandler handler) => _handlers.TryGetValue((short)key, out handler!);

    /// <summary>Handlers in api-key order.</summary>
    public IEnumerable<IApiHandler> Handlers => _handlers.Values;

    /// <summary>Creates every <see cref="IBrokerModule"/> of this assembly (see its remarks).</summary>
    public static IReadOnlyList<IBrokerModule> CreateModules() =>
        typeof(IBrokerModule).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IBrokerModule).IsAssignableFrom(t)
                        && t.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (IBrokerModule)Activator.CreateInstance(t)!)
            .ToList();
}
