using System.Globalization;
using System.Net.Http.Headers;
using Confluent.SchemaRegistry;
using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Runtime.Serialization;

/// <summary>Builds the Confluent registry client from <see cref="SchemaRegistryOptions"/> (auth, TLS, timeouts).</summary>
internal static class RegistryClients
{
    internal static ISchemaRegistryClient Create(SchemaRegistryOptions options)
    {
        var config = new SchemaRegistryConfig
        {
            Url = options.Url,
            RequestTimeoutMs = (int)options.RequestTimeout.TotalMilliseconds,
            // Our own attempts (RegistryCalls) decide when to give up and pause the stage; the client tries each call once
            // (its MaxRetries counts attempts; 0 would leave it without a response).
            MaxRetries = 1,
        };
        if (!string.IsNullOrEmpty(options.SslCaLocation))
        {
            config.SslCaLocation = options.SslCaLocation;
        }

        if (!string.IsNullOrEmpty(options.BasicAuth))
        {
            config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            config.BasicAuthUserInfo = options.BasicAuth;
        }

        return string.IsNullOrEmpty(options.BearerToken)
            ? new CachedSchemaRegistryClient(config)
            : new CachedSchemaRegistryClient(config, new StaticBearer(options.BearerToken));
    }

    private sealed class StaticBearer(string token) : IAuthenticationHeaderValueProvider
    {
        public AuthenticationHeaderValue GetAuthenticationHeader() => new("Bearer", token);
    }

    internal static string Describe(Exception e) => e switch
    {
        SchemaRegistryException s => string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)s.Status}, error code {s.ErrorCode}"),
        _ => e.GetType().Name,
    };
}
