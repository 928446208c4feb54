using IntegrationHealth.ProviderDoubles;

namespace IntegrationHealth.Api.DemoEngine;

/// <summary>One shipped provider as the demo runs it: its double and how a demo connection to it is made.</summary>
/// <param name="Key">The shipped definition's key.</param>
/// <param name="Double">The running double.</param>
/// <param name="Resource">A resource to show in the printed examples (unified model category and resource, proxy path).</param>
/// <param name="Values">The connection values of the <c>n</c>-th demo connection (0-based).</param>
/// <param name="Credentials">The vault fields of a demo connection, given its external id.</param>
internal sealed record DemoProvider(string Key, ProviderDouble Double, DemoExample Resource,
    Func<int, Dictionary<string, string>> Values, Func<string, Dictionary<string, string>> Credentials);

/// <summary>What the printed examples call for one provider: the unified route and a raw provider path for the proxy.</summary>
internal sealed record DemoExample(string Category, string Resource, string Model, string ProxyPath);

/// <summary>
/// The provider doubles <c>demo</c> runs on 127.0.0.1 (ephemeral ports): one per shipped provider, speaking its
/// conventions, with its own token endpoint for the OAuth providers. Each OAuth demo connection gets a grant (refresh
/// token) of its own; <see cref="RevokedConnections"/> are revoked, as when a customer removes the app, so the engine
/// meets <c>invalid_grant</c> and analytics a connection needing re-authorization. API calls meet a small share of
/// faults (<see cref="RandomFaults"/>: the provider's own 429 with its rate-limit headers, 500s), and one provider's
/// API may be down for a while (<see cref="OutageWindow"/>, <c>Demo:Outage:*</c>) so the status page degrades and recovers.
/// </summary>
internal sealed class DemoProviderDoubles : IAsyncDisposable
{
    /// <summary>Demo connections made per provider.</summary>
    public const int ConnectionsPerProvider = 3;

    private readonly HubSpotDouble _hubspot = new() { RollingRateLimitWindow = true };
    private readonly SalesforceDouble _salesforce = new();
    private readonly List<ProviderDouble> _started = [];

    public DemoProviderDoubles()
    {
        Providers =
        [
            new("hubspot", _hubspot, new("crm", "contacts", "crm.contact", "crm/v3/objects/contacts?limit=2"),
                _ => [],
                id => Grant(_hubspot.Grants, HubSpotDouble.ClientId, HubSpotDouble.ClientSecret, id)),
            new("salesforce", _salesforce, new("crm", "contacts", "crm.contact",
                    "query?q=SELECT+Id,FirstName,LastName+FROM+Contact"),
                n => new() { ["instance_url"] = $"https://demo{n + 1}.my.salesforce.com" },
                id => Grant(_salesforce.Grants, SalesforceDouble.ClientId, SalesforceDouble.ClientSecret, id)),
            new("pipedrive", new PipedriveDouble(), new("crm", "persons", "crm.contact", "persons?limit=2"),
                n => new() { ["company_domain"] = $"demo{n + 1}" },
                _ => new() { ["api_key"] = PipedriveDouble.ApiToken }),
            new("zendesk", new ZendeskDouble(), new("crm", "users", "crm.contact", "users.json"),
                n => new() { ["subdomain"] = $"demo{n + 1}" },
                _ => new() { ["email"] = ZendeskDouble.Email, ["api_token"] = ZendeskDouble.ApiToken }),
            new("bamboohr", new BambooHrDouble(), new("hris", "employees", "hris.employee", "employees/directory"),
                _ => new() { ["company_domain"] = BambooHrDouble.Company },
                _ => new() { ["api_key"] = BambooHrDouble.ApiKey }),
            new("personio", new PersonioDouble(), new("hris", "persons", "hris.employee", "persons?limit=2"),
                _ => [],
                _ => new() { ["client_id"] = PersonioDouble.ClientId, ["client_secret"] = PersonioDouble.ClientSecret }),
            new("greenhouse", new GreenhouseDouble(), new("ats", "candidates", "ats.candidate", "candidates?per_page=2"),
                _ => [],
                _ => new() { ["api_key"] = GreenhouseDouble.ApiKey }),
        ];
    }

    /// <summary>An API no definition ships (bearer token <see cref="PagedRecordsDouble.Token"/>, <c>GET /v2/people</c>):
    /// the README's walk-through defines it as data, uploads it and calls it. No connections are made to it.</summary>
    public PagedRecordsDouble PeopleApi { get; } = new();

    /// <summary>The providers, in the order their connections are made.</summary>
    public IReadOnlyList<DemoProvider> Providers { get; }

    /// <summary>The <c>n</c>-th demo connection of these providers has its grant revoked (0-based).</summary>
    public static readonly IReadOnlyDictionary<string, int> RevokedConnections = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["hubspot"] = ConnectionsPerProvider - 1,
        ["salesforce"] = ConnectionsPerProvider - 1,
    };

    /// <summary>Origins by provider key, for <c>Engine:OriginOverrides</c> (empty until started).</summary>
    public IReadOnlyDictionary<string, string> Origins =>
        _started.Count < Providers.Count ? new Dictionary<string, string>() : Providers.ToDictionary(p => p.Key, p => p.Double.Origin.GetLeftPart(UriPartial.Authority));

    /// <summary>The outage window <see cref="StartAsync"/> set, or null.</summary>
    public (string Provider, DateTimeOffset From, DateTimeOffset Until)? Outage { get; private set; }

    /// <summary>Starts every double; <paramref name="faultRate"/> is the share of API calls answered with a fault (two
    /// thirds of them rate limits, the rest server errors); <paramref name="outage"/>, when given, the provider whose
    /// API is down (every call its server error) from <c>After</c> to <c>After + Duration</c> past the start.</summary>
    /// <exception cref="InvalidOperationException">The outage names no provider double, or its times are out of range.</exception>
    public async Task StartAsync(double faultRate, int seed, (string Provider, TimeSpan After, TimeSpan Duration)? outage = null, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        if (outage is { } o)
        {
            if (Providers.All(p => p.Key != o.Provider))
                throw new InvalidOperationException($"{DemoEngineSettings.OutageProvider} '{o.Provider}' is none of the demo's provider doubles: {string.Join(", ", Providers.Select(p => p.Key))} (empty: no outage).");
            if (o.After < TimeSpan.Zero || o.Duration <= TimeSpan.Zero)
                throw new InvalidOperationException($"{DemoEngineSettings.OutageAfter} must not be negative and {DemoEngineSettings.OutageDuration} must be positive.");
        }
        foreach (var (provider, index) in Providers.Select((p, i) => (p, i)))
        {
            await provider.Double.StartAsync();
            _started.Add(provider.Double);
            if (faultRate > 0) RandomFaults.Apply(provider.Double, faultRate * 2 / 3, faultRate / 3, seed + index);
            if (outage is { } down && down.Provider == provider.Key)
            {
                var from = time.GetUtcNow() + down.After;
                OutageWindow.Apply(provider.Double, from, from + down.Duration, time);
                Outage = (down.Provider, from, from + down.Duration);
            }
        }
        await PeopleApi.StartAsync();
        _started.Add(PeopleApi);
    }

    /// <summary>Revokes the grant behind a connection's refresh token (the OAuth providers' doubles only).</summary>
    public void Revoke(string providerKey, string refreshToken)
    {
        if (providerKey == "hubspot") _hubspot.Grants.Revoke(refreshToken);
        else if (providerKey == "salesforce") _salesforce.Grants.Revoke(refreshToken);
    }

    private static Dictionary<string, string> Grant(OAuthGrants grants, string clientId, string clientSecret, string connection)
    {
        var refresh = $"demo-refresh-{connection}";
        grants.Add(refresh);
        return new() { ["client_id"] = clientId, ["client_secret"] = clientSecret, ["refresh_token"] = refresh };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var started in _started) await started.DisposeAsync();
        _started.Clear();
    }
}
