using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Overrides;
using IntegrationHealth.Engine.Tests.Definitions;
using IntegrationHealth.ProviderDoubles;
using IntegrationHealth.Engine.Tests.Execution;

namespace IntegrationHealth.Engine.Tests.Gaps;

/// <summary>
/// Post-steps: extra calls after the main call (each page of a listing), their parameters read from that response,
/// their results bound beside the pre-steps' as <c>$steps</c> for the mapping; replaced by an override like any
/// array of a definition. Against the <see cref="DirectoryDouble"/> on 127.0.0.1.
/// </summary>
public sealed class PostStepTests : DirectoryTestBase
{

    [Fact]
    public async Task ListAllAsync_PostStepPerPage_TakesThePagesIdsAndFeedsTheMapping()
    {
        var provider = TestDefinitions.Loader.Load(DirectoryDefinition.Document);

        var (records, failures) = await Engine.Executor.ListAllAsync(provider, await ConnectAsync(), "people");

        Assert.Empty(failures);
        Assert.Equal(25, records.Count);
        Assert.All(records, r =>
        {
            var i = int.Parse(r.RemoteId[2..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(i % 3 == 0 ? "vip" : "regular", (string?)r.Data["custom_fields"]!["tags"]![0]);
            Assert.Equal(1d, (double?)r.Data["custom_fields"]!["fields"]); // the pre-step's result is still there
        });
        var tagCalls = Double.Requests.Select(r => Uri.UnescapeDataString(r.PathAndQuery)).Where(p => p.StartsWith("/v1/tags", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, tagCalls.Count);
        Assert.Equal("/v1/tags?ids=" + string.Join(',', Enumerable.Range(0, 10).Select(i => $"u-{i}")), tagCalls[0]);
        Assert.Equal("/v1/tags?ids=" + string.Join(',', Enumerable.Range(20, 5).Select(i => $"u-{i}")), tagCalls[2]);
        Assert.Single(Double.Requests, r => r.PathAndQuery == "/v1/fields"); // a pre-step runs once per listing
        var order = Double.Requests.Select(r => r.PathAndQuery).ToList();
        Assert.True(order.FindIndex(p => p.StartsWith("/v1/people", StringComparison.Ordinal)) < order.FindIndex(p => p.StartsWith("/v1/tags", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RecordAsync_GetWithAPostStep_ReadsTheCallsIdAndMapsItsResult()
    {
        var provider = TestDefinitions.Loader.Load(DirectoryDefinition.Document);

        var result = await Engine.Executor.RecordAsync(provider, await ConnectAsync(), "people", "get", "u-6", null);
        var viaGet = await Engine.Executor.GetAsync(provider, await ConnectAsync(), "people", "u-4");

        Assert.Equal("vip", (string?)result.Record!.Data["custom_fields"]!["tags"]![0]);
        Assert.Equal("regular", (string?)viaGet!.Data["custom_fields"]!["tags"]![0]);
        Assert.Contains(Double.Requests, r => r.PathAndQuery == "/v1/tags?ids=u-6");
    }

    [Fact]
    public async Task ListAllAsync_PostStepFails_TheListingFailsRatherThanMappingWithoutIt()
    {
        var document = DirectoryDefinition.Json();
        document["resources"]!["people"]!["operations"]!["list"]!["post_steps"]![0]!["path"] = "/v1/no-such-thing";
        var provider = TestDefinitions.Loader.Load(document.ToJsonString());
        var connection = await ConnectAsync();

        var e = await Assert.ThrowsAsync<UpstreamCallException>(() => Engine.Executor.ListAllAsync(provider, connection, "people"));

        Assert.Equal(404, e.Status);
    }

    [Fact]
    public async Task ListAllAsync_AccountOverrideReplacesThePostSteps_AsAWholeArray()
    {
        var account = JsonNode.Parse("""
            { "resources": { "people": { "operations": { "list": {
                "post_steps": [ { "name": "tags", "path": "/v1/tags", "query": { "ids": "u-0" }, "result": "{ 'u-0': tags.`u-0` }" } ],
                "response_mapping": "{ 'id': id, 'custom_fields': { 'tagged': $exists($lookup($steps.tags, id)) } }" } } } } }
            """)!.AsObject();
        var (merged, _) = DefinitionMerge.Merge(DirectoryDefinition.Json(), DefinitionLevels.Platform, (account, DefinitionLevels.Account));
        var provider = TestDefinitions.Loader.Load(merged.ToJsonString());

        var (records, _) = await Engine.Executor.ListAllAsync(provider, await ConnectAsync(), "people");

        Assert.Equal(["u-0", "u-0", "u-0"], Double.Requests.Where(r => r.PathAndQuery.StartsWith("/v1/tags", StringComparison.Ordinal))
            .Select(r => r.PathAndQuery["/v1/tags?ids=".Length..]));
        Assert.Equal(["u-0"], records.Where(r => (bool?)r.Data["custom_fields"]!["tagged"] == true).Select(r => r.RemoteId));
    }

    [Fact]
    public void Load_StepNamesClashOrAPreStepTakesParameters_IsRefused()
    {
        var clash = DirectoryDefinition.Json();
        clash["resources"]!["people"]!["operations"]!["list"]!["post_steps"]![0]!["name"] = "fields";
        var preParameters = DirectoryDefinition.Json();
        preParameters["resources"]!["people"]!["operations"]!["list"]!["pre_steps"]![0]!["parameters"] = "{ 'x': 1 }";
        var badExpression = DirectoryDefinition.Json();
        badExpression["resources"]!["people"]!["operations"]!["list"]!["post_steps"]![0]!["parameters"] = "{ 'ids': ";

        Assert.Contains(TestDefinitions.Errors(clash), e => e.Path == "$.resources.people.operations.list.post_steps[0].name");
        Assert.Contains(TestDefinitions.Errors(preParameters), e => e.Path == "$.resources.people.operations.list.pre_steps[0].parameters");
        Assert.Contains(TestDefinitions.Errors(badExpression), e => e.Path == "$.resources.people.operations.list.post_steps[0].parameters" && e.Code is not null);
    }
}
