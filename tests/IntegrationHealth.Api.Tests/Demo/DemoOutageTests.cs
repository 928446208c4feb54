using System.Net;
using IntegrationHealth.Api.DemoEngine;

namespace IntegrationHealth.Api.Tests.Demo;

/// <summary><c>Demo:Outage:*</c>: one provider double's API is down for a window of time (by the clock given), the
/// others and its token endpoints untouched; a provider the demo has no double for is refused.</summary>
public sealed class DemoOutageTests
{
    private sealed class Clock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task StartAsync_WithOutage_ProviderAnswersServerErrorsInsideTheWindowOnly()
    {
        var clock = new Clock(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        await using var doubles = new DemoProviderDoubles();
        await doubles.StartAsync(0, 42, ("zendesk", TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20)), clock);
        Assert.Equal(("zendesk", clock.Now.AddMinutes(10), clock.Now.AddMinutes(30)), doubles.Outage);
        var zendesk = new Uri(doubles.Origins["zendesk"] + "/api/v2/users.json");
        var zendeskToken = new Uri(doubles.Origins["zendesk"] + "/oauth/token");
        var pipedrive = new Uri(doubles.Origins["pipedrive"] + "/v1/persons");
        using var http = new HttpClient();
        async Task<HttpStatusCode> StatusAsync(Uri url) { using var r = await http.GetAsync(url); return r.StatusCode; }

        // Before: the double's normal answer (no credentials: its 401).
        var normal = await StatusAsync(zendesk);
        Assert.NotEqual(HttpStatusCode.InternalServerError, normal);
        var normalToken = await StatusAsync(zendeskToken);
        var normalOther = await StatusAsync(pipedrive);
        clock.Now = clock.Now.AddMinutes(10);
        Assert.Equal(HttpStatusCode.InternalServerError, await StatusAsync(zendesk));
        Assert.Equal(normalToken, await StatusAsync(zendeskToken));
        Assert.Equal(normalOther, await StatusAsync(pipedrive));
        clock.Now = clock.Now.AddMinutes(20).AddTicks(-1);
        Assert.Equal(HttpStatusCode.InternalServerError, await StatusAsync(zendesk));
        clock.Now = clock.Now.AddTicks(1);
        Assert.Equal(normal, await StatusAsync(zendesk));
    }

    [Fact]
    public async Task StartAsync_OutageOfUnknownProviderOrEmptyWindow_Refused()
    {
        await using var doubles = new DemoProviderDoubles();
        var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() => doubles.StartAsync(0, 42, ("netsuite", TimeSpan.Zero, TimeSpan.FromMinutes(1))));
        Assert.Contains("Demo:Outage:Provider", unknown.Message);
        var empty = await Assert.ThrowsAsync<InvalidOperationException>(() => doubles.StartAsync(0, 42, ("zendesk", TimeSpan.Zero, TimeSpan.Zero)));
        Assert.Contains("Demo:Outage:Duration", empty.Message);
        Assert.Empty(doubles.Origins);
    }
}
