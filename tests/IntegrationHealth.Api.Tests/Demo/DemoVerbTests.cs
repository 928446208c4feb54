using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHealth.Demo;

namespace IntegrationHealth.Api.Tests.Demo;

/// <summary>"The demo starts and serves data": the real built API, started with the <c>demo</c> verb as a child process.</summary>
public sealed partial class DemoVerbTests
{
    [Fact]
    public async Task Demo_FortyAccounts_ServesSeededDataAndAcceptsSimulatedTraffic()
    {
        await using var api = ApiProcess.Start("demo", "--accounts", "40");
        var key = await api.AdminKeyAsync(TimeSpan.FromMinutes(3));
        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await api.WaitUntilReadyAsync(http, TimeSpan.FromMinutes(1));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        // Accounts: the seeded world, paged.
        using (var page = await GetJsonAsync(http, "v1/accounts?limit=100", api))
        {
            var items = page.RootElement.GetProperty("items");
            Assert.Equal(40, items.GetArrayLength());
            var first = items[0];
            Assert.Equal("acct-0001", first.GetProperty("externalId").GetString());
            Assert.False(string.IsNullOrWhiteSpace(first.GetProperty("name").GetString()));
            Assert.True(first.GetProperty("arr").GetDecimal() >= 5_000);
            Assert.Contains(first.GetProperty("segment").GetString(), new[] { "smb", "mid_market", "enterprise" });
        }

        // The printed key also opens the job dashboard: demo makes its own tenant the operators' (Hangfire:DashboardTenant).
        using (var dashboard = await http.GetAsync("hangfire"))
        {
            Assert.True(dashboard.StatusCode == HttpStatusCode.OK, $"GET /hangfire answered {(int)dashboard.StatusCode}\nAPI output:\n{api.Output}");
        }

        // An account's telemetry: real events of several kinds.
        using (var events = await GetJsonAsync(http, "v1/accounts/acct-0001/events?limit=500", api))
        {
            var list = events.RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.NotEmpty(list);
            Assert.All(list, e =>
            {
                Assert.Equal("acct-0001", e.GetProperty("account").GetString());
                Assert.True(Guid.TryParse(e.GetProperty("id").GetString(), out _));
            });
            Assert.True(list.Select(e => e.GetProperty("kind").GetString()).Distinct().Count() >= 2);
        }

        // Connections of that account exist too.
        using (var connections = await GetJsonAsync(http, "v1/connections?account=acct-0001", api))
        {
            Assert.True(CountItems(connections.RootElement) >= 1);
        }

        // Live traffic through the same API.
        var report = await TrafficSimulator.RunAsync(new SimulationOptions
        {
            Target = api.BaseAddress,
            ApiKey = key,
            Rate = 400,
            Duration = TimeSpan.FromSeconds(2),
            BatchSize = 100,
            Accounts = 5,
            Workers = 2,
        });
        Assert.True(report.Accepted > 0, $"nothing accepted: {report}; first error: {report.FirstError}");
        Assert.Equal(0, report.FailedRequests);
        Assert.Equal(report.EventsSent, report.Accepted + report.Duplicates);

        using (var simAccount = await GetJsonAsync(http, "v1/accounts/sim-0001", api))
        {
            Assert.Equal("sim-0001", simAccount.RootElement.GetProperty("externalId").GetString());
        }

        // The same through the CLI verb, as an operator would run it.
        var (exitCode, output) = await ApiProcess.RunToExitAsync(TimeSpan.FromMinutes(2),
            "simulate", "--target", api.BaseAddress.ToString(), "--key", key, "--rate", "300", "--duration", "2", "--batch", "100",
            "--accounts", "3", "--workers", "2", "--seed", "7");
        Assert.True(exitCode == 0, $"simulate exited with {exitCode}:\n{output}");
        var accepted = AcceptedPattern().Match(output);
        Assert.True(accepted.Success, $"no 'N accepted' in the simulate output:\n{output}");
        Assert.True(long.Parse(accepted.Groups[1].Value.Replace(",", ""), CultureInfo.InvariantCulture) > 0, output);
    }

    [GeneratedRegex(@"([\d,]+) accepted")]
    private static partial Regex AcceptedPattern();

    private static int CountItems(JsonElement root) =>
        root.ValueKind == JsonValueKind.Array ? root.GetArrayLength() : root.GetProperty("items").GetArrayLength();

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, string path, ApiProcess api)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {body}\nAPI output:\n{api.Output}");
        return JsonDocument.Parse(body);
    }
}
