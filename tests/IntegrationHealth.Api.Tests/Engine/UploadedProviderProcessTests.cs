using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace IntegrationHealth.Api.Tests.Engine;

/// <summary>
/// A provider defined only by a JSON document uploaded through the API at run time: two real API processes on one
/// database, both started before the upload; the document is uploaded to the first, and the second (never restarted)
/// lists it, syncs its records from a Kestrel double and serves them from the record cache, mapped by the document.
/// </summary>
public sealed class UploadedProviderProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private const string Definition = """
        {
          "key": "peoplecrm", "name": "People CRM", "category": "crm",
          "base_url": "https://api.people-crm.example",
          "auth": { "kind": "none" },
          "resources": { "people": {
            "model": "crm.contact",
            "operations": { "list": {
              "method": "GET", "path": "/v2/people", "records": "data",
              "pagination": { "strategy": "page_number", "page_param": { "query": "page" }, "page_size": 10,
                "page_size_param": { "query": "per_page" }, "stop_when": "body.has_more = false" },
              "response_mapping": "{ 'id': $string(id), 'first_name': first, 'last_name': last, 'email': mail }"
            } }
          } }
        }
        """;

    [Fact]
    public async Task UploadedDefinition_IsListedMappedAndSyncedByAnotherRunningProcess()
    {
        await using var provider = await PeopleDouble.StartAsync(people: 25);
        await using var database = TestDatabase.Sqlite();
        var environment = new Dictionary<string, string?>
        {
            ["Engine__OriginOverrides__peoplecrm"] = provider.Origin,
            ["Engine__BackgroundRetries"] = "0",
        };
        var web = new ApiProcessOptions { Database = database.Options, Environment = new Dictionary<string, string?>(environment) { ["Roles"] = "Web" } };
        var both = new ApiProcessOptions { Database = database.Options, Environment = environment };
        var key = await ApiProcess.CreateKeyAsync(web, "acme", "admin", "process test", Timeout);
        await using var first = await ApiProcess.StartReadyAsync(web, Timeout, "serve");
        await using var second = await ApiProcess.StartReadyAsync(both, Timeout, "serve");
        using var one = Client(first, key);
        using var two = Client(second, key);
        Assert.DoesNotContain("peoplecrm", await two.GetStringAsync("v1/engine/providers"));

        using var upload = await one.PutAsync("v1/engine/providers/peoplecrm", new StringContent(Definition, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync() + first.Output);

        // The second process sees it within its refresh interval (1 s by default), without a restart.
        await Eventually(async () => (await two.GetStringAsync("v1/engine/providers")).Contains("\"tenant:peoplecrm@v1\""), "the upload to reach the second process");
        Assert.Equal(HttpStatusCode.OK, (await two.PostAsJsonAsync("v1/accounts", new[] { new { externalId = "acct-1", name = "Acct" } })).StatusCode);
        using var connection = await two.PostAsJsonAsync("v1/connections", new[] { new { externalId = "conn-people", account = "acct-1", provider = "peoplecrm" } });
        Assert.True(connection.IsSuccessStatusCode, await connection.Content.ReadAsStringAsync());
        using var trigger = await two.PostAsync("v1/engine/connections/conn-people/syncs/people", null);
        Assert.True(trigger.StatusCode == HttpStatusCode.Accepted, await trigger.Content.ReadAsStringAsync());

        JsonElement run = default;
        await Eventually(async () =>
        {
            var runs = JsonDocument.Parse(await two.GetStringAsync("v1/engine/connections/conn-people/syncs")).RootElement.GetProperty("items");
            run = runs[runs.GetArrayLength() - 1].Clone();
            return run.GetProperty("status").GetString() is "succeeded" or "failed";
        }, "the sync to finish\n" + second.Output);
        Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
        Assert.Equal((3, 25, 25), (run.GetProperty("pages").GetInt32(), run.GetProperty("records").GetInt32(), run.GetProperty("added").GetInt32()));
        Assert.Equal(3, provider.PageRequests);

        var page = JsonDocument.Parse(await one.GetStringAsync("v1/records/crm.contact?connection=conn-people&limit=20")).RootElement;
        var items = page.GetProperty("items");
        Assert.Equal(20, items.GetArrayLength());
        Assert.Equal("1", items[0].GetProperty("remoteId").GetString());
        Assert.Equal("Lovelace1", items[0].GetProperty("data").GetProperty("last_name").GetString());
        Assert.Equal("ada1@people.example", items[0].GetProperty("data").GetProperty("email").GetString());
        var next = page.GetProperty("nextCursor").GetString();
        var rest = JsonDocument.Parse(await one.GetStringAsync($"v1/records/crm.contact?connection=conn-people&limit=20&cursor={next}")).RootElement;
        Assert.Equal(5, rest.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);
    }

    private static HttpClient Client(ApiProcess api, string key)
    {
        var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail($"Timed out waiting for {what}.");
    }

    /// <summary>A public people API on 127.0.0.1: pages of ten by page number, with has_more.</summary>
    private sealed class PeopleDouble : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _pageRequests;

        private PeopleDouble(WebApplication app) => _app = app;

        public string Origin { get; private set; } = "";
        public int PageRequests => _pageRequests;

        public static async Task<PeopleDouble> StartAsync(int people)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var double_ = new PeopleDouble(app);
            app.MapGet("/v2/people", (HttpContext context) =>
            {
                Interlocked.Increment(ref double_._pageRequests);
                var number = int.TryParse(context.Request.Query["page"], out var p) ? p : 1;
                var size = int.TryParse(context.Request.Query["per_page"], out var s) ? s : 10;
                var ids = Enumerable.Range(1, people).Skip((number - 1) * size).Take(size);
                return Results.Json(new JsonObject
                {
                    ["data"] = new JsonArray([.. ids.Select(i => (JsonNode)new JsonObject
                    {
                        ["id"] = i, ["first"] = $"Ada{i}", ["last"] = $"Lovelace{i}", ["mail"] = $"ada{i}@people.example",
                    })]),
                    ["has_more"] = number * size < people,
                });
            });
            await app.StartAsync();
            double_.Origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return double_;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
