using System.Globalization;
using System.Text.Json.Nodes;

namespace IntegrationHealth.Benchmarks.Jsonata;

/// <summary>
/// Seeded input for the JSONata benchmark: CRM contacts (Salesforce-style field names, custom fields, renewal date
/// present or absent), paid/open orders and catalogue items. The same document is written to a file for node and
/// parsed once for our engine, so both sides read identical data.
/// </summary>
internal static class JsonataBenchmarkData
{
    private static readonly string[] FirstNames = ["Ana", "José", "Zoë", "Łukasz", "Søren", "Mei", "Chloé", "Björn", "Aisha", "Renée", "Tom", "Priya"];
    private static readonly string[] LastNames = ["Müller", "García", "Smith", "Ødegaard", "Nakamura", "Dubois", "Kowalski", "Ng", "Okafor", "Patel"];
    private static readonly string[] Tiers = ["Gold", "Silver", "Bronze", "Platinum"];
    private static readonly string[] Statuses = ["paid", "paid", "open", "void", "refunded"];
    private static readonly string[] Words = ["widget", "gadget", "sprocket", "licence", "seat", "support", "storage", "api", "onboarding", "ünicode"];

    /// <summary>Builds <c>{ "contacts": [...], "crm": { "records": [...] }, "orders": { "orders": [...] }, "items": { "items": [...] } }</c>.</summary>
    public static JsonObject Generate(int seed, int contactCount, int orderCount, int itemCount)
    {
        var random = new Random(seed);
        var contacts = new JsonArray();
        for (var i = 0; i < contactCount; i++) contacts.Add(Contact(random, i));

        var orders = new JsonArray();
        for (var i = 0; i < orderCount; i++)
        {
            orders.Add(new JsonObject
            {
                ["id"] = $"ord_{i:D6}",
                ["customer"] = $"cus_{random.Next(0, 500):D3}",
                ["status"] = Statuses[random.Next(Statuses.Length)],
                ["amount"] = Math.Round(random.NextDouble() * 2_000, 2),
                ["currency"] = "EUR",
                ["createdAt"] = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(0, 400_000)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            });
        }

        var items = new JsonArray();
        for (var i = 0; i < itemCount; i++)
        {
            items.Add(new JsonObject
            {
                ["id"] = 10_000 + i,
                ["name"] = $"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]}",
                ["price"] = Math.Round(random.NextDouble() * 300, 2),
                ["inStock"] = random.Next(0, 4) != 0,
            });
        }

        return new JsonObject
        {
            ["contacts"] = contacts,
            ["crm"] = new JsonObject { ["records"] = contacts.DeepClone() },
            ["orders"] = new JsonObject { ["orders"] = orders },
            ["items"] = new JsonObject { ["items"] = items },
        };
    }

    private static JsonObject Contact(Random random, int index)
    {
        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        var contact = new JsonObject
        {
            ["Id"] = $"003{index:D9}",
            ["FirstName"] = first,
            ["LastName"] = last,
            ["Email"] = $"{first.ToLowerInvariant()}.{index}@example.com",
            ["Phone"] = random.Next(0, 5) == 0 ? null : $"+1 555 {random.Next(1000, 9999)}",
            ["Customer_Tier__c"] = random.Next(0, 6) == 0 ? null : Tiers[random.Next(Tiers.Length)],
            ["Account"] = new JsonObject { ["Name"] = $"{last} GmbH", ["AnnualRevenue"] = random.Next(10_000, 9_000_000) },
            ["LastModifiedDate"] = "2026-11-20T08:15:00.000+0000",
            ["IsDeleted"] = false,
        };
        // Absent, not null, for about a third: the mapping's conditional must handle a missing field.
        if (random.Next(0, 3) != 0)
        {
            var renewal = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(random.Next(0, 900));
            contact["Renewal_Date__c"] = random.Next(0, 2) == 0
                ? renewal.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : renewal.AddSeconds(random.Next(0, 86_400)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        }

        return contact;
    }
}
