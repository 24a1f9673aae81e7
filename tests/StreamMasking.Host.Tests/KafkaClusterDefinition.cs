using StreamMasking.Testing;

namespace StreamMasking.Host.Tests;

[CollectionDefinition(KafkaCluster.Collection)]
public sealed class KafkaClusterDefinition : ICollectionFixture<KafkaCluster>;
