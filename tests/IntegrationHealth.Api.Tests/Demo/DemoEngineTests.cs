using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace IntegrationHealth.Api.Tests.Demo;

/// <summary>
/// <c>demo</c> runs the engine against provider doubles: the real built API started as a child process (SQLite in a
/// temporary directory), called over HTTP with exactly the calls it prints for a newcomer — the unified API, the proxy,
/// a sync and the record cache on a live demo connection — and the engine's telemetry found in the account's events,
/// next to the seeded history.
/// </summary>
public sealed partial class DemoEngineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [GeneratedRegex(@"'(?<url>http://[^']+/v1/unified/[^']+)'")] private static partial Regex UnifiedCall();
    [GeneratedRegex(@"'(?<url>http://[^']+/v1/proxy/[^']+)'")] private static partial Regex ProxyCall();
    [GeneratedRegex(@"-X POST -H ""[^""]+"" (?<url>http://\S+/syncs/\S+)")] private static partial Regex SyncCall();
    [GeneratedRegex(@"'(?<url>http://[^']+/v1/records/[^']+)'")] private static partial Regex RecordsCall();
    [GeneratedRegex(@"'(?<url>http://[^']+/v1/accounts/(?<account>[^/]+)/events[^']*)'")] private static partial Regex EventsCall();
    [GeneratedRegex(@"connection=(?<connection>[A-Za-z0-9-]+)")] private static partial Regex ConnectionOf();
    [GeneratedRegex(@"revoked on purpose: (?<first>[A-Za-z0-9-]+)")] private static partial Regex RevokedConnection();

    [Fact]
    public async Task Demo_PrintedEngineCalls_ServeLiveRecordsAndEmitTelemetryIntoTheAccountsHistory()
    {
        // No random faults here: every printed call must answer (the faults have tests of their own in Engine.Tests).
        await using var api = ApiProcess.Start("demo", "--accounts", "25", "--days", "2", "--Demo:FaultRate", "0");
        var key = await api.AdminKeyAsync(TimeSpan.FromMinutes(3));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await api.WaitUntilReadyAsync(http, TimeSpan.FromMinutes(1));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var guide = await PrintedGuideAsync(api);
        var connection = ConnectionOf().Match(UnifiedCall().Match(guide).Value).Groups["connection"].Value;
        Assert.EndsWith("-live", connection);

        // The unified API: five contacts mapped from the double's provider records.
        using (var unified = await JsonAsync(http, HttpMethod.Get, Url(UnifiedCall(), guide), HttpStatusCode.OK, api))
        {
            var items = unified.RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(5, items.Count);
            Assert.All(items, i => Assert.Contains("@", i.GetProperty("email").GetString()));
            Assert.Equal(JsonValueKind.Object, items[0].GetProperty("remote_data").ValueKind);
        }

        // The proxy: the provider's own body, with its rate-limit headers normalized.
        using (var proxied = await http.GetAsync(Url(ProxyCall(), guide)))
        {
            var body = await proxied.Content.ReadAsStringAsync();
            Assert.True(proxied.StatusCode == HttpStatusCode.OK, $"proxy answered {(int)proxied.StatusCode}: {body}\n{api.Output}");
            using var document = JsonDocument.Parse(body);
            Assert.Equal(2, document.RootElement.GetProperty("results").GetArrayLength());
            Assert.Equal("100", proxied.Headers.GetValues("RateLimit-Limit").Single());
        }

        // A sync, run by the job server: every contact lands in the record cache.
        (await JsonAsync(http, HttpMethod.Post, Url(SyncCall(), guide), HttpStatusCode.Accepted, api)).Dispose();
        var syncs = Url(SyncCall(), guide)[..Url(SyncCall(), guide).LastIndexOf('/')];
        var run = await UntilAsync(http, syncs, d => d.RootElement.GetProperty("items").EnumerateArray()
            .FirstOrDefault(r => r.GetProperty("trigger").GetString() == "api" && r.GetProperty("status").GetString() is "succeeded" or "failed"), api);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(250, run.GetProperty("added").GetInt32());
        using (var records = await JsonAsync(http, HttpMethod.Get, Url(RecordsCall(), guide), HttpStatusCode.OK, api))
        {
            var items = records.RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(5, items.Count);
            Assert.All(items, r => Assert.Contains("@", r.GetProperty("data").GetProperty("email").GetString()));
        }

        // Telemetry: the engine's request and sync events for that account, through the batching writer, beside the
        // seeded history of the account's other connections.
        var events = Url(EventsCall(), guide).Replace("limit=20", "limit=1000", StringComparison.Ordinal);
        var account = EventsCall().Match(guide).Groups["account"].Value;
        var sync = await UntilAsync(http, events, d => d.RootElement.GetProperty("items").EnumerateArray()
            .FirstOrDefault(e => e.GetProperty("kind").GetString() == "sync_run" && e.GetProperty("connection").GetString() == connection), api);
        Assert.Equal(250, sync.GetProperty("records").GetInt32());
        using (var all = await JsonAsync(http, HttpMethod.Get, events, HttpStatusCode.OK, api))
        {
            var list = all.RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.All(list, e => Assert.Equal(account, e.GetProperty("account").GetString()));
            var live = list.Where(e => e.GetProperty("connection").GetString() == connection).ToList();
            Assert.Contains(live, e => e.GetProperty("kind").GetString() == "request" && e.GetProperty("status").GetInt32() == 200
                && e.GetProperty("endpoint").GetString() == "/crm/v3/objects/contacts");
            Assert.Contains(live, e => e.GetProperty("kind").GetString() == "token_refresh");
            Assert.Contains(list, e => e.GetProperty("connection").GetString() is { } c && !c.EndsWith("-live", StringComparison.Ordinal));
        }

        // A connection whose grant the double revoked (the first is HubSpot's; both OAuth providers have contacts): a sync meets invalid_grant and the connection needs re-auth.
        var revoked = RevokedConnection().Match(guide).Groups["first"].Value;
        var revokedSyncs = new Uri(new Uri(api.BaseAddress, "/"), $"v1/engine/connections/{revoked}/syncs").ToString();
        (await JsonAsync(http, HttpMethod.Post, $"{revokedSyncs}/contacts", HttpStatusCode.Accepted, api)).Dispose();
        var failed = await UntilAsync(http, revokedSyncs, d => d.RootElement.GetProperty("items").EnumerateArray()
            .FirstOrDefault(r => r.GetProperty("trigger").GetString() == "api" && r.GetProperty("status").GetString() is "succeeded" or "failed"), api);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        // "invalid_grant" when this run made the exchange; "needs re-authorization" when a scheduled run got there first.
        Assert.Contains("classified needs_reauth by token endpoint", failed.GetProperty("error").GetString());
        var revokedAccount = revoked[..revoked.IndexOf("-", "acct-".Length, StringComparison.Ordinal)];
        using (var connections = await JsonAsync(http, HttpMethod.Get, new Uri(api.BaseAddress, $"v1/connections?account={revokedAccount}").ToString(), HttpStatusCode.OK, api))
        {
            var row = connections.RootElement.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("externalId").GetString() == revoked);
            Assert.Equal("needs_reauth", row.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Demo_NoEngine_MakesNoLiveConnections()
    {
        await using var api = ApiProcess.Start("demo", "--accounts", "3", "--days", "1", "--no-engine");
        var key = await api.AdminKeyAsync(TimeSpan.FromMinutes(3));
        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await api.WaitUntilReadyAsync(http, TimeSpan.FromMinutes(1));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        using var connections = await JsonAsync(http, HttpMethod.Get, new Uri(api.BaseAddress, "v1/connections?account=acct-0001&limit=100").ToString(), HttpStatusCode.OK, api);
        var ids = connections.RootElement.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("externalId").GetString()).ToList();
        Assert.NotEmpty(ids);
        Assert.DoesNotContain(ids, id => id!.EndsWith("-live", StringComparison.Ordinal));
        Assert.DoesNotContain("live demo connections", api.StandardOutput, StringComparison.Ordinal);
    }

    private static string Url(Regex call, string guide)
    {
        var match = call.Match(guide);
        Assert.True(match.Success, $"The demo did not print a call matching {call}:\n{guide}");
        return match.Groups["url"].Value;
    }

    private static async Task<string> PrintedGuideAsync(ApiProcess api)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!api.StandardOutput.Contains("Try (K", StringComparison.Ordinal))
        {
            if (api.HasExited || DateTime.UtcNow > deadline) Assert.Fail($"The demo printed no engine calls:\n{api.Output}");
            await Task.Delay(200);
        }
        await Task.Delay(200); // the rest of the guide's lines
        return api.StandardOutput;
    }

    private static async Task<JsonDocument> JsonAsync(HttpClient http, HttpMethod method, string url, HttpStatusCode expected, ApiProcess api)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(method, url));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url} answered {(int)response.StatusCode}: {body}\nAPI output:\n{api.Output}");
        return JsonDocument.Parse(body);
    }

    /// <summary>Polls <paramref name="url"/> until <paramref name="pick"/> finds an element (the job server and the
    /// telemetry writer work in the background).</summary>
    private static async Task<JsonElement> UntilAsync(HttpClient http, string url, Func<JsonDocument, JsonElement> pick, ApiProcess api)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using (var document = await JsonAsync(http, HttpMethod.Get, url, HttpStatusCode.OK, api))
            {
                var found = pick(document);
                if (found.ValueKind != JsonValueKind.Undefined) return found.Clone();
            }
            if (DateTime.UtcNow > deadline) Assert.Fail($"Nothing found at {url} within {Patience}.\nAPI output:\n{api.Output}");
            await Task.Delay(250);
        }
    }
}
