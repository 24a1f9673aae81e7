namespace StreamMasking.Deploy.Tests.Support;

public sealed class ServiceSettingsTests
{
    [Theory]
    [InlineData("STREAMMASKING__PIPELINE__INPUTTOPICS__0")]
    [InlineData("STREAMMASKING__PIPELINE__INSTANCEID")]
    [InlineData("STREAMMASKING__STATE__DIRECTORY")]
    [InlineData("STREAMMASKING__PIPELINE__BATCHMAXINTERVAL")]
    [InlineData("STREAMMASKING__SECRETS__MASTERSECRETFILE")]
    [InlineData("STREAMMASKING__KAFKA__PROPERTIES__SASL_PASSWORD")]
    [InlineData("STREAMMASKING__KAFKA__PROPERTIES__SSL_CA_LOCATION")]
    [InlineData("STREAMMASKING__HTTP__PORT")]
    [InlineData("KAFKA_BOOTSTRAP_SERVERS")]
    [InlineData("STREAMMASKING_MASTER_SECRET")]
    [InlineData("DOTNET_EnableDiagnostics")]
    public void IsRealEnvironmentVariable_RealSetting_True(string name) =>
        ServiceSettings.IsRealEnvironmentVariable(name, out var why).ShouldBeTrue(why);

    [Theory]
    [InlineData("STREAMMASKING__PIPELINE__INPUTTOPIC__0", "has no setting INPUTTOPIC")]
    [InlineData("STREAMMASKING__PIPELINE__INPUTTOPICS", "needs exactly one numeric index")]
    [InlineData("STREAMMASKING__PIPELINE", "names a section")]
    [InlineData("STREAMMASKING__KAFKA__PROPERTIES__SASL_PASWORD", "sasl.pasword is not a librdkafka property")]
    [InlineData("STREAMMASKING__KAFKA__PROPERTIES__GROUP_ID", "group.id")]
    [InlineData("STREAMMASKING__HTTP__PROT", "has no setting")]
    [InlineData("STREAMMASKING_POLICY_FILE", "is not a StreamMasking setting")]
    public void IsRealEnvironmentVariable_TypoOrManagedKey_FalseSayingWhy(string name, string why)
    {
        ServiceSettings.IsRealEnvironmentVariable(name, out var reason).ShouldBeFalse();
        reason.ShouldContain(why);
    }
}
