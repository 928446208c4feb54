namespace IntegrationHealth.Api.DemoEngine;

/// <summary>What <c>demo</c> prints once it serves: the live connections and calls a newcomer can make at once.</summary>
internal static class DemoEngineGuide
{
    public static string Render(string baseUrl, IReadOnlyDictionary<string, string> origins, Uri peopleApi, IReadOnlyList<DemoConnection> connections,
        string statusPagePath = "/", (string Provider, DateTimeOffset From, DateTimeOffset Until)? outage = null)
    {
        var api = baseUrl.TrimEnd('/');
        var lines = new List<string>
        {
            "",
            $"Engine: provider doubles on 127.0.0.1 ({string.Join(", ", origins.Select(o => $"{o.Key} {o.Value}"))}),",
            $"  {connections.Count} live demo connections (syncs every {DemoConnections.SyncEveryMinutes} minutes; "
                + $"revoked on purpose: {string.Join(", ", connections.Where(c => c.Revoked).Select(c => c.ExternalId))}):",
        };
        foreach (var group in connections.GroupBy(c => c.Provider.Key))
            lines.Add($"  {group.Key,-11} {string.Join("  ", group.Select(c => c.ExternalId + (c.Revoked ? " (revoked)" : "")))}");
        var first = connections.FirstOrDefault(c => !c.Revoked);
        if (first is not null)
        {
            var c = first.ExternalId;
            var ex = first.Provider.Resource;
            lines.AddRange(
            [
                "Try (K = the admin key):",
                $"  curl -s -H \"Authorization: Bearer $K\" '{api}/v1/unified/{ex.Category}/{ex.Resource}?connection={c}&limit=5'",
                $"  curl -s -H \"Authorization: Bearer $K\" '{api}/v1/proxy/{c}/{ex.ProxyPath}'",
                $"  curl -s -X POST -H \"Authorization: Bearer $K\" {api}/v1/engine/connections/{c}/syncs/{ex.Resource}",
                $"  curl -s -H \"Authorization: Bearer $K\" '{api}/v1/records/{ex.Model}?connection={c}&limit=5'",
                $"  curl -s -H \"Authorization: Bearer $K\" '{api}/v1/accounts/{first.Account}/events?limit=20'",
            ]);
        }
        var page = api + statusPagePath.TrimEnd('/');
        lines.Add($"Status page (public, no key): {page}/ (also {page}/api/v2/summary.json, {page}/history.atom)");
        if (outage is { } o)
            lines.Add($"  Scheduled outage (Demo:Outage:*): {o.Provider}'s API answers every call with a server error from "
                + $"{o.From.UtcDateTime:HH:mm} to {o.Until.UtcDateTime:HH:mm} UTC; its component degrades, an incident opens, then resolves.");
        lines.Add($"An API no definition ships, to define as data (README, \"Add a provider as data\"): {peopleApi.GetLeftPart(UriPartial.Authority)}"
            + " (GET /v2/people, bearer token people-token)");
        lines.Add("");
        return string.Join(Environment.NewLine, lines);
    }
}
