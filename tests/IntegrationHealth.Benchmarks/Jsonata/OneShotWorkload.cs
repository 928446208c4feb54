using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace IntegrationHealth.Benchmarks.Jsonata;

/// <summary>
/// A one-shot workload: documents as the integration engine receives them (UTF-8 bytes), each parsed and evaluated
/// once. One iteration evaluates the expression once per document, parse included.
/// </summary>
/// <param name="Name">Label printed in the results table.</param>
/// <param name="Expression">JSONata expression text.</param>
/// <param name="Documents">The JSON texts (one, or one per small response).</param>
/// <param name="Records">Records processed per iteration (throughput is records per second).</param>
internal sealed record OneShotWorkload(string Name, string Expression, IReadOnlyList<string> Documents, int Records)
{
    /// <summary>Maps one contact of a provider page (HubSpot-style search results) to a unified record.</summary>
    public const string PageMapping =
        "{ \"records\": results.{ \"external_id\": id, \"email\": $lowercase(properties.email), " +
        "\"name\": $join([properties.firstname, properties.lastname], \" \"), \"phone\": properties.phone, " +
        "\"company_id\": associations.companies.results[0].id, \"stage\": properties.lifecyclestage, " +
        "\"created_at\": $toMillis(createdAt), \"archived\": archived }, \"next_cursor\": paging.next.after }";

    /// <summary>Maps one small ticket response (JSON:API style) to a unified record.</summary>
    public const string ResponseMapping =
        "data.{ \"external_id\": $string(id), \"subject\": attributes.subject, \"status\": $uppercase(attributes.status), " +
        "\"priority\": attributes.priority ? attributes.priority : \"normal\", \"requester\": attributes.requester.email, " +
        "\"opened_at\": $toMillis(attributes.created_at), \"tags\": attributes.tags }";

    /// <summary>The one-shot workloads of issue 17, generated from <paramref name="seed"/>.</summary>
    public static IReadOnlyList<OneShotWorkload> Generate(int seed)
    {
        var random = new Random(seed);
        var (log, requests) = RequestLog(random, 20_000_000);
        var (page, contacts) = ProviderPage(random, 300_000);
        var responses = Enumerable.Range(0, 10_000).Select(i => TicketResponse(random, i)).ToArray();
        return
        [
            new("(e) 20 MB: $count(records[status >= 500])", "$count(records[status >= 500])", [log], requests),
            new("(f) 300 KB page mapped to unified records", PageMapping, [page], contacts),
            new("(g) 10,000 small responses, each mapped", ResponseMapping, responses, responses.Length),
        ];
    }

    private static readonly string[] Methods = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];
    private static readonly string[] Stages = ["lead", "subscriber", "opportunity", "customer", "evangelist"];
    private static readonly string[] Names = ["Ana", "José", "Zoë", "Łukasz", "Søren", "Mei", "Chloé", "Björn", "Aisha", "Tom"];
    private static readonly string[] Statuses = ["open", "pending", "solved", "closed"];

    /// <summary>An API request log of about <paramref name="targetBytes"/>: { provider, window, records: [...] }.</summary>
    private static (string Json, int Records) RequestLog(Random random, int targetBytes)
    {
        var text = new StringBuilder(targetBytes + 1024);
        text.Append("""{"provider":"acme-crm","window":{"from":"2026-11-01T00:00:00Z","to":"2026-11-02T00:00:00Z"},"records":[""");
        var count = 0;
        var start = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        while (text.Length < targetBytes)
        {
            if (count > 0) text.Append(',');
            var status = random.Next(100) switch { < 80 => 200, < 88 => 201, < 94 => 404, < 96 => 429, _ => 500 + random.Next(4) };
            text.Append(CultureInfo.InvariantCulture,
                $$"""{"id":"req_{{count:D7}}","at":"{{start.AddMilliseconds(count * 800L):yyyy-MM-ddTHH:mm:ss.fffZ}}","method":"{{Methods[random.Next(Methods.Length)]}}","path":"/v3/objects/contacts/{{random.Next(1_000_000)}}","status":{{status}},"latencyMs":{{random.NextDouble() * 900:0.00}},"bytes":{{random.Next(200, 60_000)}},"client":{"ip":"10.{{random.Next(256)}}.{{random.Next(256)}}.{{random.Next(256)}}","agent":"integration-engine/4.2"},"tags":["sync","contacts"]}""");
            count++;
        }

        text.Append("]}");
        return (text.ToString(), count);
    }

    /// <summary>A search-results page of about <paramref name="targetBytes"/>: { results: [...], paging }.</summary>
    private static (string Json, int Records) ProviderPage(Random random, int targetBytes)
    {
        var results = new JsonArray();
        var size = 0;
        while (size < targetBytes)
        {
            var id = 51_000 + results.Count;
            var first = Names[random.Next(Names.Length)];
            var created = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(0, 1_000_000));
            var contact = new JsonObject
            {
                ["id"] = id.ToString(CultureInfo.InvariantCulture),
                ["properties"] = new JsonObject
                {
                    ["email"] = $"{first.ToUpperInvariant()}.{id}@Example.com",
                    ["firstname"] = first,
                    ["lastname"] = Names[random.Next(Names.Length)] + "son",
                    ["phone"] = random.Next(4) == 0 ? null : $"+49 30 {random.Next(1_000_000, 9_999_999)}",
                    ["company"] = $"Company {random.Next(500)}",
                    ["lifecyclestage"] = Stages[random.Next(Stages.Length)],
                    ["createdate"] = created.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                    ["hs_object_id"] = id.ToString(CultureInfo.InvariantCulture),
                    ["lastmodifieddate"] = created.AddDays(random.Next(0, 300)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                },
                ["createdAt"] = created.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                ["updatedAt"] = created.AddDays(random.Next(0, 300)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                ["archived"] = random.Next(20) == 0,
                ["associations"] = new JsonObject
                {
                    ["companies"] = new JsonObject
                    {
                        ["results"] = new JsonArray(new JsonObject { ["id"] = random.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture), ["type"] = "contact_to_company" }),
                    },
                },
            };
            size += contact.ToJsonString().Length + 1;
            results.Add(contact);
        }

        var page = new JsonObject
        {
            ["total"] = 12_345,
            ["results"] = results,
            ["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = results.Count.ToString(CultureInfo.InvariantCulture), ["link"] = "https://api.example.com/crm/v3/objects/contacts/search?after=" + results.Count } },
        };
        return (page.ToJsonString(), results.Count);
    }

    private static string RequestId(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>One small ticket response, JSON:API style (about 600 bytes).</summary>
    private static string TicketResponse(Random random, int index)
    {
        var created = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.Next(0, 5_000_000));
        var name = Names[random.Next(Names.Length)];
        var response = new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["id"] = 700_000 + index,
                ["type"] = "ticket",
                ["attributes"] = new JsonObject
                {
                    ["subject"] = $"Sync of contact {random.Next(100_000)} failed",
                    ["status"] = Statuses[random.Next(Statuses.Length)],
                    ["priority"] = random.Next(3) == 0 ? null : (random.Next(2) == 0 ? "high" : "low"),
                    ["requester"] = new JsonObject { ["email"] = $"{name.ToLowerInvariant()}{index}@example.com", ["name"] = name },
                    ["created_at"] = created.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    ["updated_at"] = created.AddHours(random.Next(0, 100)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    ["tags"] = new JsonArray("integration", random.Next(2) == 0 ? "crm" : "billing"),
                    ["custom_fields"] = new JsonArray(new JsonObject { ["id"] = 360_001, ["value"] = "tier-" + random.Next(4) }, new JsonObject { ["id"] = 360_002, ["value"] = null }),
                },
                ["relationships"] = new JsonObject { ["organization"] = new JsonObject { ["data"] = new JsonObject { ["type"] = "organization", ["id"] = random.Next(1000) } } },
            },
            ["meta"] = new JsonObject { ["request_id"] = RequestId(random), ["rate_limit_remaining"] = random.Next(1000) },
        };
        return response.ToJsonString();
    }
}
