using IntegrationHealth.ProviderDoubles;

namespace IntegrationHealth.Engine.Tests.Doubles;

/// <summary>The doubles' request log is bounded: the demo's doubles serve live traffic for as long as the demo runs and
/// the proxy benchmark sends millions of requests, so the log keeps only the most recent ones.</summary>
public sealed class ProviderDoubleRequestLogTests
{
    [Fact]
    public async Task Requests_PastTheLimit_KeepsOnlyTheMostRecentInArrivalOrder()
    {
        await using var hubspot = new HubSpotDouble { RequestLogLimit = 3 };
        await hubspot.StartAsync();
        using var http = new HttpClient { BaseAddress = hubspot.Origin };

        for (var i = 1; i <= 5; i++) (await http.GetAsync($"crm/v3/objects/contacts?after={i}")).Dispose();

        Assert.Equal(["after=3", "after=4", "after=5"], hubspot.Requests.Select(r => r.PathAndQuery.Split('?')[1]));
    }

    [Fact]
    public async Task Requests_WithLimitZero_KeepsNoneAndStillAnswers()
    {
        await using var hubspot = new HubSpotDouble { RequestLogLimit = 0 };
        await hubspot.StartAsync();
        using var http = new HttpClient { BaseAddress = hubspot.Origin };
        http.DefaultRequestHeaders.Authorization = new("Bearer", hubspot.ValidToken);

        using var response = await http.GetAsync("crm/v3/objects/contacts?limit=1");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(hubspot.Requests);
    }
}
