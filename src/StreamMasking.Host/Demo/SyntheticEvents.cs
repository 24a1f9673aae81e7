using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace StreamMasking.Host.Demo;

/// <summary>
/// Synthetic sensitive events for the demo (shapes of policies/demo.yaml): patient visits for two clinics in two
/// regions, and payments; about 2% unparseable records and 2% records of a tenant no segment accepts, to show
/// fail-closed dead-lettering. About 8% of events belong to two frequent patients, who exceed the demo policy's
/// per-window cap of 3 events per patient; the rest come from 500 patients, so ids repeat now and then.
/// Every value is invented.
/// </summary>
internal static class SyntheticEvents
{
    internal const string VisitsTopic = "demo.visits";
    internal const string PaymentsTopic = "demo.payments";

    private static readonly string[] Tenants = ["clinic-a", "clinic-b"];
    private static readonly string[] Regions = ["eu", "us"];
    private static readonly string[] FirstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken"];
    private static readonly string[] LastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson"];
    private static readonly string[] Diagnoses = ["J45", "E11", "I10", "M54", "F32", "K21"];
    private static readonly string[] Departments = ["cardiology", "oncology", "emergency", "pediatrics"];
    private static readonly string[] FrequentPatients = ["P-0001", "P-0002"];

    /// <summary>
    /// One event: topic and UTF-8 JSON value (or deliberately broken bytes). <paramref name="now"/> is the event time
    /// written into the body (<c>visit.at</c>, <c>payment.at</c>); producers use it as the Kafka timestamp too.
    /// </summary>
    internal static (string Topic, byte[] Value) Next(long sequence, DateTimeOffset now)
    {
        var roll = RandomNumberGenerator.GetInt32(100);
        if (roll < 2)
        {
            // Malformed on purpose: truncated JSON.
            return (VisitsTopic, Encoding.UTF8.GetBytes("{\"type\":\"visit\",\"tenant\":\"clinic-a\",\"patient\":{\"id\":"));
        }

        // About 2% come from a tenant no segment accepts: fail closed, dead-lettered.
        var tenant = roll < 4 ? "clinic-c" : Pick(Tenants);
        var region = Pick(Regions);
        var isVisit = roll < 75;
        var body = isVisit ? Visit(sequence, tenant, region, now) : Payment(sequence, tenant, region, now);
        return (isVisit ? VisitsTopic : PaymentsTopic, Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    private static JsonObject Visit(long sequence, string tenant, string region, DateTimeOffset now)
    {
        var birth = new DateOnly(1940, 1, 1).AddDays(RandomNumberGenerator.GetInt32(0, 29_000));
        return new JsonObject
        {
            ["eventId"] = "E-" + sequence.ToString(CultureInfo.InvariantCulture),
            ["type"] = "visit",
            ["tenant"] = tenant,
            ["region"] = region,
            ["patient"] = new JsonObject
            {
                ["id"] = PatientId(),
                ["name"] = $"{Pick(FirstNames)} {Pick(LastNames)}",
                ["ssn"] = $"{Digits(3)}-{Digits(2)}-{Digits(4)}",
                ["birthDate"] = birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["zip"] = Digits(5),
                ["age"] = now.Year - birth.Year,
            },
            ["visit"] = new JsonObject
            {
                ["at"] = Timestamp(now),
                ["department"] = Pick(Departments),
                ["diagnosis"] = Pick(Diagnoses),
                ["cost"] = RandomNumberGenerator.GetInt32(2_000, 500_000) / 100.0,
                ["notes"] = "free text the policy does not name " + Digits(6),
            },
        };
    }

    private static JsonObject Payment(long sequence, string tenant, string region, DateTimeOffset now) => new()
    {
        ["eventId"] = "E-" + sequence.ToString(CultureInfo.InvariantCulture),
        ["type"] = "payment",
        ["tenant"] = tenant,
        ["region"] = region,
        ["patient"] = new JsonObject { ["id"] = PatientId() },
        ["payment"] = new JsonObject
        {
            ["cardNumber"] = "4111" + Digits(12),
            ["cardHolder"] = $"{Pick(FirstNames)} {Pick(LastNames)}",
            ["amount"] = RandomNumberGenerator.GetInt32(100, 100_000) / 100.0,
            ["currency"] = region == "eu" ? "EUR" : "USD",
            ["at"] = Timestamp(now),
        },
    };

    private static string PatientId() => RandomNumberGenerator.GetInt32(100) < 8
        ? Pick(FrequentPatients)
        : "P-" + RandomNumberGenerator.GetInt32(1000, 1500).ToString(CultureInfo.InvariantCulture);

    private static string Timestamp(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Pick(string[] values) => values[RandomNumberGenerator.GetInt32(values.Length)];

    private static string Digits(int count)
    {
        Span<char> chars = stackalloc char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        }

        return new string(chars);
    }
}
