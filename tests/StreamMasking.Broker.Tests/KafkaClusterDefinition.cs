using StreamMasking.Testing;

namespace StreamMasking.Broker.Tests;

/// <summary>One broker for every integration test of this assembly.</summary>
[CollectionDefinition(KafkaCluster.Collection)]
public sealed class KafkaClusterDefinition : ICollectionFixture<KafkaCluster>;
