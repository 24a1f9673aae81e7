namespace StreamMasking.Broker.Server;

/// <summary>
/// A pluggable part of the broker (e.g. the group coordinator, the transaction coordinator). Every non-abstract
/// class in this assembly implementing this interface with a public parameterless constructor is created once per
/// broker by <see cref="ApiRegistry.CreateModules"/>, in type-name order, after storage recovery and before the
/// listener accepts connections. Modules are disposed on broker shutdown, before storage is closed.
/// </summary>
internal interface IBrokerModule : IAsyncDisposable
{
    /// <summary>Loads state (e.g. from <see cref="BrokerContext.DataDirectory"/>) and registers handlers.</summary>
    ValueTask StartAsync(BrokerContext broker, ApiRegistry registry, CancellationToken cancellationToken);
}
