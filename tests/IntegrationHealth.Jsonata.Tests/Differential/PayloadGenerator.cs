using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Tests.Differential;

/// <summary>The kinds of integration payload the differential tests evaluate expressions over.</summary>
public enum PayloadKind
{
    CrmContacts,
    HrisEmployees,
    PaginatedInvoices,
    WebhookEnvelope,
}

/// <summary>One generated input document and a short description for mismatch reports.</summary>
public sealed record Payload(int Index, PayloadKind Kind, JsonObject Document, string Summary);

/// <summary>
/// Generates realistic, seeded integration payloads: CRM contacts with custom fields, HRIS employees, paginated API
/// responses with nested arrays and webhook envelopes. They deliberately contain nulls, missing fields, empty arrays,
/// non-ASCII text (including characters outside the BMP) and fractional numbers, because those are where engines
/// disagree. Object keys are never integer-like: JavaScript orders such keys numerically, which would make key order
/// a platform artefact rather than JSONata semantics.
/// </summary>
public sealed class PayloadGenerator(Random random)
{
    private static readonly string[] FirstNames =
        ["Ana", "José", "Zoë", "Łukasz", "Søren", "Mei", "Ωmega", "Chloé", "Björn", "Aisha", "Renée", "李", "O'Brien", "Émile"];

    private static readonly string[] LastNames =
        ["Müller", "García", "Smith", "Ødegaard", "Nakamura", "Dubois", "Kowalski", "Ng", "van der Berg", "Núñez", "Okafor"];

    private static readonly string[] Tiers = ["Gold", "Silver", "Bronze", "Platinum"];
    private static readonly string[] Industries = ["SaaS", "Retail", "Healthcare", "Fintech", "Logistics"];
    private static readonly string[] Stages = ["Prospecting", "Qualification", "Closed Won", "Closed Lost"];
    private static readonly string[] Tags = ["vip", "beta", "churn-risk", "enterprise", "trial", "naïve-user", "🚀 launch"];
    private static readonly string[] Departments = ["Engineering", "Sales", "Support", "Finance", "People Ops"];
    private static readonly string[] Titles = ["Engineer", "Senior Engineer", "Account Executive", "Analyst", "Director"];
    private static readonly string[] Skills = ["c#", "sql", "negotiation", "excel", "kubernetes", "écriture", "python"];
    private static readonly string[] Cities = ["Zürich", "São Paulo", "Berlin", "Austin", "Kraków", "Tōkyō"];
    private static readonly string[] Countries = ["CH", "BR", "DE", "US", "PL", "JP"];
    private static readonly string[] Currencies = ["usd", "eur", "gbp", "chf"];
    private static readonly string[] InvoiceStatuses = ["paid", "open", "void", "uncollectible", "paid"];
    private static readonly string[] Products = ["Seat licence", "Premium support", "API calls (1k)", "Onboarding", "Storage 😀 pack"];
    private static readonly string[] EventTypes = ["contact.updated", "contact.created", "deal.won", "ticket.closed"];
    private static readonly string[] EventNames = ["page_view", "login", "export", "api_call", "sync_failed"];

    /// <summary>Generates <paramref name="count"/> payloads, cycling through every kind.</summary>
    public IReadOnlyList<Payload> Generate(int count)
    {
        var payloads = new List<Payload>(count);
        for (var i = 0; i < count; i++)
        {
            var kind = (PayloadKind)(i % 4);
            var document = kind switch
            {
                PayloadKind.CrmContacts => CrmContacts(),
                PayloadKind.HrisEmployees => HrisEmployees(),
                PayloadKind.PaginatedInvoices => PaginatedInvoices(),
                _ => WebhookEnvelope(),
            };
            payloads.Add(new Payload(i, kind, document, Summarize(i, kind, document)));
        }

        return payloads;
    }

    private JsonObject CrmContacts()
    {
        var records = new JsonArray();
        var count = random.Next(0, 8) == 0 ? 0 : random.Next(1, 7);
        for (var i = 0; i < count; i++)
        {
            var contact = new JsonObject
            {
                ["Id"] = $"003{random.Next(100000, 999999)}",
                ["FirstName"] = Pick(FirstNames),
                ["LastName"] = Pick(LastNames),
            };
            contact["Email"] = Maybe(0.85) ? $"{contact["FirstName"]!.GetValue<string>().ToLowerInvariant()}.{i}@example.com" : null;
            if (Maybe(0.8)) contact["Phone"] = Maybe(0.8) ? $"+1 555 {random.Next(1000, 9999)}" : null;
            if (Maybe(0.75)) contact["Customer_Tier__c"] = Maybe(0.9) ? Pick(Tiers) : null;
            if (Maybe(0.6)) contact["Renewal_Date__c"] = IsoDate();
            contact["Score__c"] = Maybe(0.9) ? Fraction(0, 100) : null;
            contact["IsActive"] = Maybe(0.7);
            contact["Tags"] = Strings(Tags, random.Next(0, 4));
            contact["Account"] = Maybe(0.85)
                ? new JsonObject
                {
                    ["Name"] = $"{Pick(LastNames)} {Pick(["GmbH", "Inc.", "Ltd", "S.A."])}",
                    ["Industry"] = Maybe(0.9) ? Pick(Industries) : null,
                    ["AnnualRevenue"] = Maybe(0.5) ? random.Next(10_000, 9_000_000) : Fraction(1_000, 500_000),
                    ["Employees"] = random.Next(1, 5_000),
                }
                : null;
            contact["Custom"] = new JsonObject
            {
                ["NPS__c"] = Maybe(0.8) ? random.Next(0, 11) : null,
                ["Region__c"] = Pick(["EMEA", "AMER", "APAC"]),
                ["Seats__c"] = random.Next(1, 250),
            };
            var opportunities = new JsonArray();
            for (var o = random.Next(0, 4); o > 0; o--)
            {
                opportunities.Add(new JsonObject
                {
                    ["Name"] = $"{Pick(Products)} renewal",
                    ["Amount"] = Maybe(0.5) ? random.Next(100, 90_000) : Fraction(100, 90_000),
                    ["Stage"] = Pick(Stages),
                    ["Probability"] = Math.Round(random.NextDouble(), 2),
                });
            }

            contact["Opportunities"] = opportunities;
            if (Maybe(0.5))
            {
                // Keys that need backticks or are easy to mishandle: spaces, dots, a leading $, non-ASCII, empty.
                contact["CustomFields"] = new JsonObject
                {
                    ["Favourite colour"] = Pick(["blue", "vert", "红"]),
                    ["résumé"] = Maybe(0.5) ? "yes" : null,
                    ["a.b"] = random.Next(0, 10),
                    ["$ref"] = "#/x",
                    ["🙂"] = Maybe(0.5),
                    [""] = "empty key",
                };
            }

            records.Add(contact);
        }

        return new JsonObject
        {
            ["source"] = "salesforce",
            ["fetchedAt"] = IsoDateTime(),
            ["totalSize"] = count,
            ["done"] = Maybe(0.7),
            ["records"] = records,
        };
    }

    private JsonObject HrisEmployees()
    {
        var employees = new JsonArray();
        var count = random.Next(1, 8);
        for (var i = 0; i < count; i++)
        {
            var employee = new JsonObject
            {
                ["id"] = 100 + i,
                ["name"] = new JsonObject { ["first"] = Pick(FirstNames), ["last"] = Pick(LastNames) },
                ["department"] = Maybe(0.9) ? Pick(Departments) : null,
                ["title"] = Pick(Titles),
                ["salary"] = Maybe(0.6) ? random.Next(30_000, 200_000) : Fraction(30_000, 200_000),
                ["currency"] = Pick(Currencies).ToUpperInvariant(),
                ["startDate"] = IsoDate(),
                ["manager"] = i == 0 || Maybe(0.2) ? null : 100 + random.Next(0, i),
                ["active"] = Maybe(0.8),
                ["skills"] = Strings(Skills, random.Next(0, 4)),
            };
            if (Maybe(0.3)) employee["terminationDate"] = IsoDate();
            var locations = new JsonArray();
            for (var l = random.Next(0, 3); l > 0; l--)
            {
                var c = random.Next(Cities.Length);
                locations.Add(new JsonObject { ["city"] = Cities[c], ["country"] = Countries[c], ["primary"] = l == 1 });
            }

            employee["locations"] = locations;
            var compensation = new JsonArray();
            for (var y = random.Next(0, 4); y > 0; y--)
            {
                compensation.Add(new JsonObject
                {
                    ["year"] = 2026 - y,
                    ["base"] = random.Next(30_000, 200_000),
                    ["bonus"] = Maybe(0.7) ? Fraction(0, 20_000) : null,
                });
            }

            employee["compensation"] = compensation;
            employees.Add(employee);
        }

        return new JsonObject
        {
            ["company"] = $"{Pick(LastNames)} & Söhne",
            ["asOf"] = IsoDate(),
            ["employees"] = employees,
        };
    }

    private JsonObject PaginatedInvoices()
    {
        var data = new JsonArray();
        var count = random.Next(0, 10) == 0 ? 0 : random.Next(1, 9);
        for (var i = 0; i < count; i++)
        {
            var lines = new JsonArray();
            for (var l = random.Next(0, 4); l > 0; l--)
            {
                lines.Add(new JsonObject
                {
                    ["description"] = Pick(Products),
                    ["quantity"] = random.Next(1, 20),
                    ["unitAmount"] = Maybe(0.5) ? random.Next(1, 10_000) : Fraction(0, 999),
                    ["taxRate"] = Maybe(0.7) ? Pick([0.0, 0.07, 0.19, 0.2, 0.077]) : null,
                });
            }

            var invoice = new JsonObject
            {
                ["id"] = $"in_{random.Next(100000, 999999)}",
                ["customer"] = $"cus_{Pick(["alpha", "beta", "gamma", "delta"])}",
                ["amount"] = Maybe(0.6) ? random.Next(0, 500_000) : Fraction(0, 5_000),
                ["currency"] = Pick(Currencies),
                ["status"] = Pick(InvoiceStatuses),
                ["created"] = 1_700_000_000 + random.Next(0, 50_000_000),
                ["lines"] = new JsonObject { ["data"] = lines, ["has_more"] = false },
                ["metadata"] = Maybe(0.5) ? new JsonObject { ["plan"] = Pick(["starter", "pro", "enterprise"]), ["note"] = Maybe(0.5) ? "Straße 5 – “quoted”" : "" } : new JsonObject(),
            };
            if (Maybe(0.4)) invoice["discount"] = Maybe(0.8) ? Fraction(0, 50) : null;
            data.Add(invoice);
        }

        return new JsonObject
        {
            ["object"] = "list",
            ["page"] = random.Next(1, 6),
            ["per_page"] = 10,
            ["total"] = count + random.Next(0, 40),
            ["has_more"] = Maybe(0.5),
            ["next_cursor"] = Maybe(0.5) ? $"cur_{random.Next(1000, 9999)}" : null,
            // Numbers at the edges of double: above 2^53 (JSON.parse rounds), subnormal, negative zero, the maximum.
            ["extremes"] = new JsonObject
            {
                ["bigId"] = 9_007_199_254_740_993L,
                ["tiny"] = 5e-324,
                ["negZero"] = -0.0,
                ["huge"] = 1.7976931348623157e308,
                ["sci"] = 1.5e-7,
                ["sum"] = 0.1 + 0.2,
            },
            ["data"] = data,
        };
    }

    private JsonObject WebhookEnvelope()
    {
        var events = new JsonArray();
        for (var e = random.Next(0, 6); e > 0; e--)
        {
            events.Add(new JsonObject
            {
                ["name"] = Pick(EventNames),
                ["ts"] = 1_763_900_000_000L + random.Next(0, 10_000_000),
                ["durationMs"] = Maybe(0.8) ? Fraction(0, 3_000) : null,
                ["props"] = Maybe(0.7) ? new JsonObject { ["path"] = Pick(["/home", "/settings", "/billing/ünicode"]), ["ok"] = Maybe(0.8) } : null,
            });
        }

        var contact = new JsonObject
        {
            ["id"] = random.Next(1, 10_000),
            ["email"] = Maybe(0.8) ? $"{Pick(FirstNames).ToLowerInvariant()}@example.org" : null,
            ["firstName"] = Pick(FirstNames),
            ["lastName"] = Maybe(0.9) ? Pick(LastNames) : "",
            ["lifecycleStage"] = Pick(["lead", "customer", "evangelist"]),
        };
        return new JsonObject
        {
            ["id"] = $"evt_{random.Next(100000, 999999)}",
            ["type"] = Pick(EventTypes),
            ["occurredAt"] = IsoDateTime(),
            ["attempt"] = random.Next(1, 4),
            ["headers"] = new JsonObject
            {
                ["Content-Type"] = "application/json",
                ["X-Signature"] = $"sha256={random.Next():x8}{random.Next():x8}",
                ["X-Retry-Count"] = Maybe(0.5) ? random.Next(0, 3) : null,
            },
            ["data"] = new JsonObject
            {
                ["object"] = contact,
                ["previous"] = Maybe(0.6) ? new JsonObject { ["lifecycleStage"] = "lead", ["email"] = null } : null,
                ["changes"] = Strings(["email", "firstName", "lifecycleStage", "owner"], random.Next(0, 3)),
            },
            ["events"] = events,
        };
    }

    private bool Maybe(double probability) => random.NextDouble() < probability;

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];

    /// <summary>A number with at most two decimals: realistic money/score values that still exercise binary fractions.</summary>
    private double Fraction(int min, int max) => Math.Round(min + random.NextDouble() * (max - min), 2);

    private string IsoDate() => new DateOnly(2019, 1, 1).AddDays(random.Next(0, 3_000)).ToString("yyyy-MM-dd");

    private string IsoDateTime() =>
        new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.Next(0, 30_000_000)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    private JsonArray Strings(string[] pool, int count)
    {
        var array = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            array.Add(Pick(pool));
        }

        return array;
    }

    private static string Summarize(int index, PayloadKind kind, JsonObject document)
    {
        var (arrayName, noun) = kind switch
        {
            PayloadKind.CrmContacts => ("records", "contacts"),
            PayloadKind.HrisEmployees => ("employees", "employees"),
            PayloadKind.PaginatedInvoices => ("data", "invoices"),
            _ => ("events", "events"),
        };
        var count = (document[arrayName] as JsonArray)?.Count ?? 0;
        return $"payload #{index} ({kind}, {count} {noun})";
    }
}
