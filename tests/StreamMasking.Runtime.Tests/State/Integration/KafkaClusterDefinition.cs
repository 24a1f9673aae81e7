using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.State.Integration;

/// <summary>The one Kafka fixture of this test assembly (xunit needs the definition here).</summary>
[CollectionDefinition(KafkaCluster.Collection)]
public sealed class StateKafkaClusterDefinition : ICollectionFixture<KafkaCluster>;
