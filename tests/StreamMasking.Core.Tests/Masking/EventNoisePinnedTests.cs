using System.Text.Json.Nodes;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Records;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Masking;

/// <summary>
/// The exact event-level noise of fixed records under a fixed key. A record replayed after an upgrade must draw the
/// same noise as before: two different draws for one value would let a reader of both outputs average the noise away.
/// So any change to the noise identity, its digest or the keyed streams shows here, and must be a new identity version.
/// </summary>
public sealed class EventNoisePinnedTests
{
    private const string Fields = """
        cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 5000 } }
        minutes: { action: gaussian, epsilon: 0.5, delta: 1.0e-6, clamp: { min: 0, max: 240 } }
        smoker: { action: randomized-response, epsilon: 1 }
        department: { action: randomized-response, epsilon: 1, categories: [cardio, neuro, ortho] }
        """;

    [Theory]
    [InlineData(0, """{"cost":5346.182947412133,"minutes":2433.87890625,"smoker":true,"department":"neuro"}""")]
    [InlineData(1, """{"cost":7132.882951363921,"minutes":-731.486328125,"smoker":true,"department":"neuro"}""")]
    [InlineData(7, """{"cost":-16536.287064015865,"minutes":-661.501953125,"smoker":true,"department":"cardio"}""")]
    public void Mask_FixedRecordAndKey_DrawsTheSameNoiseEveryVersion(long offset, string expected)
    {
        var policy = TestPolicies.OneSegment(Fields);
        using var keyring = new TokenKeyring(TestPolicies.Secret);
        using var masker = new RecordMasker(policy, keyring);
        var body = JsonNode.Parse("""{"cost":1234.5,"minutes":35,"smoker":true,"department":"neuro"}""")!.AsObject();

        var outcome = masker.Mask(policy.Segments[0], new RecordEnvelope("visits", null, body, new RecordCoordinates("visits", 3, offset)));

        outcome.Output!.ToJsonString().ShouldBe(expected);
    }
}
