using System.Reflection;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Tests.Configuration;

/// <summary>
/// The settings and the store options are different types (the store takes settings of several sections, some
/// derived): these tests fail when a property is added to either without deciding how it crosses.
/// </summary>
public sealed class StateStoreOptionsMappingTests
{
    // Every property of StateOptions: the store property it becomes, or null with where it goes instead.
    private static readonly Dictionary<string, string?> FromStateOptions = new(StringComparer.Ordinal)
    {
        [nameof(StateOptions.Directory)] = nameof(StateStoreOptions.StateDirectory),
        [nameof(StateOptions.CheckpointAfterRecords)] = nameof(StateStoreOptions.CheckpointAfterRecords),
        [nameof(StateOptions.TickInterval)] = null, // the windowing stage's timer, not the store
        [nameof(StateOptions.StartNewContinualCounters)] = null, // the windowing stage's counters, not the store
    };

    // Store properties that come from elsewhere: pipeline settings, or the store's own default.
    private static readonly string[] FromElsewhere =
    [
        nameof(StateStoreOptions.ApplicationId), // Pipeline:ConsumerGroupId
        nameof(StateStoreOptions.StableChangelogTimeout), // Pipeline:TransactionTimeout + OperationTimeout
        nameof(StateStoreOptions.LockWaitTimeout), // not configurable: the store's default
    ];

    [Fact]
    public void StateOptions_EveryProperty_HasADecidedDestination()
    {
        PublicProperties(typeof(StateOptions)).ShouldBe(FromStateOptions.Keys, ignoreOrder: true);
    }

    [Fact]
    public void StateStoreOptions_EveryProperty_HasADecidedSource()
    {
        var sources = FromStateOptions.Values.OfType<string>().Concat(FromElsewhere);

        PublicProperties(typeof(StateStoreOptions)).ShouldBe(sources, ignoreOrder: true);
    }

    [Fact]
    public void From_NonDefaultSettings_CarriesEachMappedProperty()
    {
        var options = new StreamMaskingOptions
        {
            State = { Directory = "/var/lib/state", CheckpointAfterRecords = 7 },
            Pipeline = { ConsumerGroupId = "group-x", TransactionTimeout = TimeSpan.FromSeconds(20), OperationTimeout = TimeSpan.FromSeconds(3) },
        };

        var store = StateStoreOptionsMapping.From(options);

        foreach (var (source, target) in FromStateOptions.Where(m => m.Value is not null))
        {
            typeof(StateStoreOptions).GetProperty(target!)!.GetValue(store)
                .ShouldBe(typeof(StateOptions).GetProperty(source)!.GetValue(options.State), source);
        }

        store.ApplicationId.ShouldBe("group-x");
        store.StableChangelogTimeout.ShouldBe(TimeSpan.FromSeconds(23));
        store.LockWaitTimeout.ShouldBe(new StateStoreOptions { StateDirectory = "d", ApplicationId = "a" }.LockWaitTimeout);
    }

    private static IEnumerable<string> PublicProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name);
}
