using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.StatusPage.Html;

namespace IntegrationHealth.StatusPage.Tests.Subscriptions;

/// <summary>What the world's customers see of page "acme": the public documents, the HTML page, the Atom feed read by
/// feedparser, and in-app notices of two accounts, one connected to salesforce (<see cref="ConnectedAccount"/>) and
/// one only to hubspot (<see cref="UnaffectedAccount"/>).</summary>
public sealed partial class SubscriptionWorld
{
    public const string ConnectedAccount = "acct-salesforce";
    public const string UnaffectedAccount = "acct-hubspot";

    /// <summary>One look at the page from outside.</summary>
    /// <param name="Summary"><c>summary.json</c>.</param>
    /// <param name="Components"><c>components.json</c>.</param>
    /// <param name="Html">The HTML page.</param>
    /// <param name="Atom"><c>history.atom</c> as feedparser read it.</param>
    public sealed record PublicView(JsonElement Summary, JsonElement Components, string Html, JsonElement Atom)
    {
        /// <summary>A component's status in <c>summary.json</c> and <c>components.json</c> (asserted equal) and the
        /// status text the HTML page shows next to its name.</summary>
        public (string Json, string Html) StatusOf(int componentId)
        {
            string In(JsonElement document) => document.GetProperty("components").EnumerateArray()
                .Single(c => c.GetProperty("id").GetString() == componentId.ToString()).GetProperty("status").GetString()!;
            var json = In(Summary);
            Assert.Equal(json, In(Components));
            var shown = Regex.Match(Html, $"""<h3 id="component-{componentId}">[^<]*</h3>\s*<span class="status st-(?<wire>[a-z_]+)">(?<text>[^<]+)</span>""");
            Assert.True(shown.Success, $"component {componentId} not on the HTML page");
            Assert.Equal(json, shown.Groups["wire"].Value);
            return (json, shown.Groups["text"].Value);
        }

        public IReadOnlyList<string> UnresolvedIncidents() =>
            [.. Summary.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];

        public IReadOnlyList<string> FeedEntries() =>
            [.. Atom.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("title").GetString()!)];
    }

    /// <summary>The two accounts and their connections, and a read key for their notices.</summary>
    public async Task<HttpClient> ConnectAccountsAsync()
    {
        using var ingest = Host.Client(await Host.CreateKeyAsync("acme", ApiKeyScopes.Admin | ApiKeyScopes.Read | ApiKeyScopes.Ingest));
        await Http.PostAsync(ingest, "/v1/accounts", $$"""[{"externalId":"{{ConnectedAccount}}","name":"Uses Salesforce"},{"externalId":"{{UnaffectedAccount}}","name":"Uses HubSpot"}]""", 200);
        await Http.PostAsync(ingest, "/v1/connections", $$"""
            [{"externalId":"c-sf","account":"{{ConnectedAccount}}","provider":"salesforce"},
             {"externalId":"c-hs","account":"{{UnaffectedAccount}}","provider":"hubspot"}]
            """, 200);
        return Host.Client(await Host.CreateKeyAsync("acme", ApiKeyScopes.Read));
    }

    public async Task<PublicView> PublicViewAsync()
    {
        var summary = await Http.GetAsync(Anonymous, "/pages/acme/api/v2/summary.json");
        var components = await Http.GetAsync(Anonymous, "/pages/acme/api/v2/components.json");
        using var page = await Anonymous.GetAsync("/pages/acme");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var atom = await Anonymous.GetAsync("/pages/acme/history.atom");
        Assert.Equal(HttpStatusCode.OK, atom.StatusCode);
        var feed = await FeedTests.ParseAsync(await atom.Content.ReadAsByteArrayAsync(), "application/atom+xml");
        return new PublicView(summary, components, await page.Content.ReadAsStringAsync(), feed);
    }

    /// <summary>The ids of the notices <paramref name="account"/> gets.</summary>
    public static async Task<IReadOnlyList<JsonElement>> NoticesAsync(HttpClient reader, string account) =>
        [.. (await Http.GetAsync(reader, $"/v1/accounts/{account}/notices")).GetProperty("notices").EnumerateArray()];

    /// <summary>The text the HTML page shows for a status.</summary>
    public static string Label(ComponentStatus status) => StatusPageView.Label(status);
}
