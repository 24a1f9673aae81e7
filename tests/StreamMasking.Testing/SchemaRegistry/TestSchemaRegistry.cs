using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StreamMasking.Testing.SchemaRegistry;

/// <summary>
/// A schema-registry-compatible HTTP endpoint on loopback for tests and the demo: the REST calls a registry client
/// makes (register, look up, schema by id, versions and latest, backward compatibility, subject list) with the
/// registry's error format and codes (40401 subject, 40402 version, 40403 schema, 409 incompatible, 42201 invalid
/// schema, 40101 unauthorized, 50001 store error). Avro only. Optional basic auth; faults (failing requests,
/// slow answers) for error-path tests. Not a product component.
/// </summary>
public sealed class TestSchemaRegistry : IDisposable
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";
    private readonly HttpListener _listener;
    private readonly RegistryStore _store = new();
    private readonly string? _expectedAuthorization;
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly Task _serving;
    private int _failNext;

    private TestSchemaRegistry(HttpListener listener, string url, string? expectedAuthorization)
    {
        _listener = listener;
        Url = url;
        _expectedAuthorization = expectedAuthorization;
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; }

    /// <summary>Delay before each answer (for client timeout tests). The default is none.</summary>
    public TimeSpan ResponseDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Starts a registry on a free loopback port; with <paramref name="basicAuthUserInfo"/> (<c>user:password</c>) every call needs it.</summary>
    public static TestSchemaRegistry Start(string? basicAuthUserInfo = null) =>
        Listen(basicAuthUserInfo is null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(basicAuthUserInfo)));

    /// <summary>Starts a registry on a free loopback port where every call needs <c>Authorization: Bearer <paramref name="token"/></c>.</summary>
    public static TestSchemaRegistry StartWithBearer(string token) => Listen("Bearer " + token);

    private static TestSchemaRegistry Listen(string? expectedAuthorization)
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var url = $"http://127.0.0.1:{port}";
            var listener = new HttpListener();
            listener.Prefixes.Add(url + "/");
            try
            {
                listener.Start();
                return new TestSchemaRegistry(listener, url, expectedAuthorization);
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close(); // the port was taken between the probe and the bind: try another
            }
        }
    }

    /// <summary>The next <paramref name="count"/> requests answer 500 with error code 50001.</summary>
    public void FailNextRequests(int count) => Interlocked.Exchange(ref _failNext, count);

    /// <summary>How many requests were made whose path starts with <paramref name="pathPrefix"/>.</summary>
    public int RequestCount(string pathPrefix) => _requests.Where(r => r.Key.StartsWith(pathPrefix, StringComparison.Ordinal)).Sum(r => r.Value);

    /// <summary>Registers a schema under a subject directly (test setup); returns its id.</summary>
    public int Register(string subject, string schema) => _store.Register(subject, schema);

    /// <summary>The schema text registered under <paramref name="id"/>.</summary>
    public string SchemaById(int id) => _store.SchemaById(id);

    /// <summary>Stops listening; later calls fail to connect.</summary>
    public void Dispose()
    {
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending accept.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath.TrimEnd('/');
        _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
        int status;
        JsonNode? body;
        try
        {
            if (ResponseDelay > TimeSpan.Zero)
            {
                await Task.Delay(ResponseDelay);
            }

            if (_expectedAuthorization is not null && request.Headers["Authorization"] != _expectedAuthorization)
            {
                throw new RegistryError(401, RegistryError.Unauthorized, "Unauthorized");
            }

            if (Interlocked.Decrement(ref _failNext) >= 0)
            {
                throw new RegistryError(500, RegistryError.StoreError, "Error in the backend data store");
            }

            Interlocked.Exchange(ref _failNext, Math.Max(0, Volatile.Read(ref _failNext)));
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var text = await reader.ReadToEndAsync();
            (status, body) = (200, Route(request.HttpMethod, path.Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Select(Uri.UnescapeDataString).ToArray(), text));
        }
        catch (RegistryError e)
        {
            (status, body) = (e.Status, new JsonObject { ["error_code"] = e.ErrorCode, ["message"] = e.Message });
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            (status, body) = (422, new JsonObject { ["error_code"] = 422, ["message"] = "Unprocessable entity" });
        }
        catch (Exception e)
        {
            // Whatever went wrong, the client gets an answer rather than a hung request.
            (status, body) = (500, new JsonObject { ["error_code"] = RegistryError.StoreError, ["message"] = "Internal error: " + e.GetType().Name });
        }

        try
        {
            var bytes = Encoding.UTF8.GetBytes(body?.ToJsonString() ?? "null");
            context.Response.StatusCode = status;
            context.Response.ContentType = ContentType;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client gave up (timeout test) or the registry is stopping.
        }
    }

    private JsonNode? Route(string method, string[] p, string body) => (method, p) switch
    {
        ("GET", ["subjects"]) => new JsonArray([.. _store.Subjects().Select(s => JsonValue.Create(s))]),
        ("GET", ["subjects", var s, "versions"]) => new JsonArray([.. _store.Versions(s).Select(v => JsonValue.Create(v))]),
        ("GET", ["subjects", var s, "versions", var v]) => Describe(_store.Get(s, v)),
        ("GET", ["subjects", var s, "versions", var v, "schema"]) => JsonNode.Parse(_store.Get(s, v).Schema),
        ("POST", ["subjects", var s, "versions"]) => new JsonObject { ["id"] = _store.Register(s, SchemaOf(body)) },
        ("POST", ["subjects", var s]) => Describe(_store.Lookup(s, SchemaOf(body))),
        ("GET", ["schemas", "ids", var id]) => new JsonObject { ["schema"] = _store.SchemaById(Id(id)) },
        ("POST", ["compatibility", "subjects", var s, "versions", "latest"]) =>
            new JsonObject { ["is_compatible"] = _store.IsCompatibleWithLatest(s, SchemaOf(body)) },
        ("GET", ["config"]) => new JsonObject { ["compatibilityLevel"] = "BACKWARD" },
        _ => throw new RegistryError(404, 404, "HTTP 404 Not Found"),
    };

    private static JsonObject Describe(RegistryStore.Version v) =>
        new() { ["subject"] = v.Subject, ["version"] = v.Number, ["id"] = v.Id, ["schema"] = v.Schema };

    private static int Id(string text) => int.TryParse(text, out var id)
        ? id
        : throw new RegistryError(404, RegistryError.SchemaNotFound, "Schema " + text + " not found");

    private static string SchemaOf(string body)
    {
        var request = JsonNode.Parse(body)?.AsObject() ?? throw new RegistryError(422, RegistryError.InvalidSchema, "Empty request");
        if (request["schemaType"] is { } type && type.GetValue<string>() != "AVRO")
        {
            throw new RegistryError(422, RegistryError.InvalidSchema, "Only Avro schemas are supported by this registry");
        }

        return request["schema"]?.GetValue<string>() ?? throw new RegistryError(422, RegistryError.InvalidSchema, "Missing schema");
    }
}
