using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Core.DeadLetters;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Serialization;
using StreamMasking.Testing.SchemaRegistry;

namespace StreamMasking.Runtime.Tests.Serialization;

/// <summary>The registry client path against the test registry (or a real one when SCHEMA_REGISTRY_URL is set).</summary>
public sealed class RegistryWriterSchemasTests(SchemaRegistryEndpoint registry) : IClassFixture<SchemaRegistryEndpoint>
{
    private RegistryWriterSchemas Schemas(string? url = null, int attempts = 3, TimeSpan? timeout = null, string? basicAuth = null,
        string? bearer = null) =>
        new(RegistryClients.Create(new SchemaRegistryOptions
        {
            Url = url ?? registry.Url,
            BasicAuth = basicAuth ?? registry.BasicAuthUserInfo ?? "",
            BearerToken = bearer ?? "",
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(10),
        }), new RegistryCalls(attempts, TimeSpan.FromMilliseconds(10), NullLogger.Instance));

    private async Task<int> RegisterAsync()
    {
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig
        {
            Url = registry.Url,
            BasicAuthUserInfo = registry.BasicAuthUserInfo,
            BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo,
        });
        return await client.RegisterSchemaAsync(SchemaRegistryEndpoint.NewSubject(), new Schema(AvroFraming.TestRecordSchema, SchemaType.Avro));
    }

    [Fact]
    public async Task Get_RegisteredId_ReturnsTheWriterSchemaAndCachesIt()
    {
        var id = await RegisterAsync();
        var schemas = Schemas();
        var before = registry.Local?.RequestCount($"/schemas/ids/{id}");

        var (schema, failure) = schemas.Get(id);
        schemas.Get(id).Schema.ShouldBeSameAs(schema);

        failure.ShouldBeNull();
        schema!.Fullname.ShouldBe("io.streammasking.tests.TestVisit");
        (registry.Local?.RequestCount($"/schemas/ids/{id}") - before).ShouldBe(registry.Local is null ? null : 1);
    }

    [Fact]
    public void Get_UnknownId_IsUnknownSchemaIdNotAnOutage() =>
        Schemas().Get(987_654_321).Failure.ShouldBe(DeadLetterReason.UnknownSchemaId);

    [SkippableFact]
    public async Task Get_ServerErrorsThenRecovery_RetriesAndSucceeds()
    {
        Skip.If(registry.Local is null, SchemaRegistryEndpoint.LocalOnly);
        var id = await RegisterAsync();
        registry.Local.FailNextRequests(2);

        Schemas(attempts: 3).Get(id).Schema.ShouldNotBeNull();
    }

    [SkippableFact]
    public async Task Get_ServerErrorsOnEveryAttempt_ThrowsUnavailable()
    {
        Skip.If(registry.Local is null, SchemaRegistryEndpoint.LocalOnly);
        var id = await RegisterAsync();
        registry.Local.FailNextRequests(3);

        Should.Throw<SchemaRegistryUnavailableException>(() => Schemas(attempts: 3).Get(id));
        registry.Local.FailNextRequests(0);
    }

    [Fact]
    public void Get_NobodyListening_ThrowsUnavailable()
    {
        using var gone = TestSchemaRegistry.Start();
        var url = gone.Url;
        gone.Dispose();

        Should.Throw<SchemaRegistryUnavailableException>(() => Schemas(url, attempts: 2).Get(1));
    }

    [Fact]
    public void Get_AnswerSlowerThanTheTimeout_ThrowsUnavailable()
    {
        using var slow = TestSchemaRegistry.Start();
        var id = slow.Register("slow-value", AvroFraming.TestRecordSchema);
        slow.ResponseDelay = TimeSpan.FromSeconds(5);

        Should.Throw<SchemaRegistryUnavailableException>(() => Schemas(slow.Url, attempts: 1, timeout: TimeSpan.FromMilliseconds(200)).Get(id));
    }

    [Fact]
    public void Get_BasicAuth_RefusedWithoutOrWithWrongCredentialsAcceptedWithThem()
    {
        using var guarded = TestSchemaRegistry.Start("svc:s3cret");
        var id = guarded.Register("guarded-value", AvroFraming.TestRecordSchema);

        Should.Throw<SchemaRegistryUnavailableException>(() => Schemas(guarded.Url, attempts: 1).Get(id));
        Should.Throw<SchemaRegistryUnavailableException>(() => Schemas(guarded.Url, attempts: 1, basicAuth: "svc:wrong").Get(id));
        Schemas(guarded.Url, basicAuth: "svc:s3cret").Get(id).Schema.ShouldNotBeNull();
    }

    [Fact]
    public void Get_BearerToken_RefusedWithoutOrWithAnotherTokenAcceptedWithIt()
    {
        using var guarded = TestSchemaRegistry.StartWithBearer("t0ken");
        var id = guarded.Register("bearer-value", AvroFraming.TestRecordSchema);

        Should.Throw<SchemaRegistryUnavailableException>(() => Schemas(guarded.Url, attempts: 1).Get(id));
        Should.Throw<SchemaRegistryUnavailableException>(() => Schemas(guarded.Url, attempts: 1, bearer: "other").Get(id));
        Schemas(guarded.Url, bearer: "t0ken").Get(id).Schema.ShouldNotBeNull();
    }

    [Fact]
    public async Task Client_UnknownSubjectAndIncompatibleSchema_GetRegistryErrorCodes()
    {
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig
        {
            Url = registry.Url,
            BasicAuthUserInfo = registry.BasicAuthUserInfo,
            BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo,
        });
        var subject = SchemaRegistryEndpoint.NewSubject();

        var missing = await Should.ThrowAsync<SchemaRegistryException>(() => client.GetLatestSchemaAsync(subject));
        missing.ErrorCode.ShouldBe(40401);

        await client.RegisterSchemaAsync(subject, new Schema(AvroFraming.TestRecordSchema, SchemaType.Avro));
        // A new required field without a default cannot read the old data: not backward compatible.
        var breaking = AvroFraming.TestRecordSchema.Replace("""{ "name": "seq", "type": "int" },""",
            """{ "name": "seq", "type": "int" }, { "name": "extra", "type": "string" },""", StringComparison.Ordinal);
        (await client.IsCompatibleAsync(subject, new Schema(breaking, SchemaType.Avro))).ShouldBeFalse();
        var optional = breaking.Replace("""{ "name": "extra", "type": "string" }""",
            """{ "name": "extra", "type": ["null", "string"], "default": null }""", StringComparison.Ordinal);
        (await client.IsCompatibleAsync(subject, new Schema(optional, SchemaType.Avro))).ShouldBeTrue();
        var conflict = await Should.ThrowAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(subject, new Schema(breaking, SchemaType.Avro)));
        conflict.ErrorCode.ShouldBe(409);
        var invalid = await Should.ThrowAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync(subject, new Schema("{\"type\":\"nope\"}", SchemaType.Avro)));
        invalid.ErrorCode.ShouldBe(42201, invalid.Message);
        (await client.GetSubjectVersionsAsync(subject)).ShouldBe([1]);
        (await client.GetAllSubjectsAsync()).ShouldContain(subject);
    }
}
