using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Proxy;
using IntegrationHealth.Engine.Tests.Definitions;
using IntegrationHealth.ProviderDoubles;
using IntegrationHealth.Engine.Tests.Execution;
using IntegrationHealth.Engine.Unified;

namespace IntegrationHealth.Engine.Tests.Gaps;

/// <summary>
/// The executor's and token requests' connections go through the proxy's address checks at connect time: a definition
/// a tenant uploads may name any base or token URL, and every loopback spelling, the metadata address and private
/// ranges are refused (no byte reaches them), unless <c>Engine:AllowedNetworks</c> (or the proxy's setting) allows
/// them or the operator's origin override names the exact origin.
/// </summary>
public sealed class ExecutorDestinationTests : IAsyncLifetime
{
    private readonly DirectoryDouble _double = new(people: 3);

    public Task InitializeAsync() => _double.StartAsync();

    public async Task DisposeAsync() => await _double.DisposeAsync();

    private string DefinitionAt(string baseUrl)
    {
        var document = DirectoryDefinition.Json();
        document["base_url"] = baseUrl;
        return document.ToJsonString();
    }

    public static TheoryData<string> RefusedSpellings => new()
    {
        "http://127.1:{port}",
        "http://0x7f000001:{port}",
        "http://2130706433:{port}",
        "http://[::1]:{port}",
        "http://[::ffff:127.0.0.1]:{port}",
        "http://localhost:{port}",
        "http://169.254.169.254",
        "http://10.1.2.3:{port}",
    };

    [Theory]
    [MemberData(nameof(RefusedSpellings))]
    public async Task ListAllAsync_UploadedBaseUrlAtAnInternalAddress_IsRefusedAtConnectTime_NothingArrives(string template)
    {
        await using var engine = EngineHarness.Create();
        var provider = TestDefinitions.Loader.Load(DefinitionAt(template.Replace("{port}", _double.Origin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var connection = await engine.ConnectAsync(ConnectionCredentials.Of(("api_key", DirectoryDouble.ApiKey)));

        var e = await Assert.ThrowsAsync<UpstreamCallException>(() => engine.Executor.ListAllAsync(provider, connection, "people",
            new ListRequest { Context = CallContext.Background }));

        Assert.IsType<DestinationRefusedException>(Assert.IsType<HttpRequestException>(e.InnerException).InnerException);
        Assert.Empty(_double.Requests);
        var problem = UpstreamProblems.For(e);
        Assert.Equal(502, problem.Status);
        Assert.Equal("destination_refused", problem.Extensions["reason"]);
        Assert.DoesNotContain(DirectoryDouble.ApiKey, System.Text.Json.JsonSerializer.Serialize(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAllAsync_AllowedNetworkOrOperatorOverride_Connects()
    {
        var port = _double.Origin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var allowed = EngineHarness.Create(settings: new Dictionary<string, string?> { ["Engine:AllowedNetworks:0"] = "127.0.0.1/32" });
        await using var proxyAllowed = EngineHarness.Create(settings: new Dictionary<string, string?> { ["Engine:Proxy:AllowedNetworks:0"] = "127.0.0.0/8" });
        await using var overridden = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["directory"] = _double });
        var atLoopback = TestDefinitions.Loader.Load(DefinitionAt($"http://127.1:{port}"));
        var atPublicName = TestDefinitions.Loader.Load(DirectoryDefinition.Document); // https://directory.test, overridden to the double

        foreach (var (engine, provider) in new[] { (allowed, atLoopback), (proxyAllowed, atLoopback), (overridden, atPublicName) })
        {
            var connection = await engine.ConnectAsync(ConnectionCredentials.Of(("api_key", DirectoryDouble.ApiKey)));
            var (records, _) = await engine.Executor.ListAllAsync(provider, connection, "people");
            Assert.Equal(3, records.Count);
        }
    }

    [Fact]
    public async Task TokenRequest_UploadedTokenUrlAtTheMetadataAddress_IsRefused_NotRetried()
    {
        await using var engine = EngineHarness.Create();
        var document = JsonNode.Parse(DefinitionAt("https://directory.test"))!.AsObject();
        document["auth"] = JsonNode.Parse("""{ "kind": "oauth2_client_credentials", "token_url": "http://169.254.169.254/latest/meta-data/iam/token" }""");
        var provider = TestDefinitions.Loader.Load(document.ToJsonString());
        var connection = await engine.ConnectAsync(ConnectionCredentials.Of(("client_id", "id"), ("client_secret", "secret")));

        var e = await Assert.ThrowsAsync<UpstreamCallException>(() => engine.Executor.ListAllAsync(provider, connection, "people"));

        Assert.IsType<DestinationRefusedException>(Assert.IsType<HttpRequestException>(e.InnerException).InnerException);
        Assert.False(SingleFlightTokenSource.NotConsumed(e, consumesToken: false));
    }
}
