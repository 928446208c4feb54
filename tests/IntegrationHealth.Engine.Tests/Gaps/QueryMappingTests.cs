using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Overrides;
using IntegrationHealth.Engine.Tests.Definitions;
using IntegrationHealth.ProviderDoubles;
using IntegrationHealth.Engine.Tests.Execution;
using IntegrationHealth.Engine.Unified;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace IntegrationHealth.Engine.Tests.Gaps;

/// <summary>
/// Unified filters reach the provider as its own parameters through the definition's <c>query_mapping</c> (query
/// parameters, or fields merged into a JSON body), overridable like every part of a definition; unknown or mistyped
/// filters are refused; the provider's error body becomes our problem's title, detail and code through
/// <c>error_mapping</c>. Against the <see cref="DirectoryDouble"/> on 127.0.0.1.
/// </summary>
public sealed class QueryMappingTests : DirectoryTestBase
{

    private List<string> PeopleRequests() => [.. Double.Requests.Select(r => r.PathAndQuery).Where(p => p.StartsWith("/v1/people", StringComparison.Ordinal))];

    [Fact]
    public async Task ListAllAsync_EmailFilter_IsSentAsTheProvidersQueryParameter()
    {
        var provider = TestDefinitions.Loader.Load(DirectoryDefinition.Document);

        var (records, failures) = await Engine.Executor.ListAllAsync(provider, await ConnectAsync(), "people",
            new ListRequest { Filters = new JsonObject { ["email"] = "u7@example.com" } });

        Assert.Empty(failures);
        Assert.Equal(["u-7"], records.Select(r => r.RemoteId));
        Assert.Equal(["/v1/people?email=u7%40example.com&page=1"], PeopleRequests());
    }

    [Fact]
    public async Task ListAllAsync_ModifiedAfterFilter_BecomesUpdatedAfterOnEveryPage()
    {
        var provider = TestDefinitions.Loader.Load(DirectoryDefinition.Document);

        var (records, _) = await Engine.Executor.ListAllAsync(provider, await ConnectAsync(), "people",
            new ListRequest { Filters = new JsonObject { ["modifiedAfter"] = "2026-01-05T00:00:00Z" } });

        Assert.Equal(Enumerable.Range(5, 20).Select(i => $"u-{i}"), records.Select(r => r.RemoteId));
        var requests = PeopleRequests();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Contains("updated_after=2026-01-05T00%3A00%3A00Z", r, StringComparison.Ordinal));
        Assert.Contains("page=2", requests[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAllAsync_NoFilterButASyncsModifiedSince_TheMappingReadsTheCallParameters()
    {
        var provider = TestDefinitions.Loader.Load(DirectoryDefinition.Document);

        var (records, _) = await Engine.Executor.ListAllAsync(provider, await ConnectAsync(), "people",
            new ListRequest { Parameters = new Dictionary<string, string> { ["modified_since"] = "2026-01-20T00:00:00Z" } });

        Assert.Equal(Enumerable.Range(20, 5).Select(i => $"u-{i}"), records.Select(r => r.RemoteId));
        Assert.Equal(["/v1/people?updated_after=2026-01-20T00%3A00%3A00Z&page=1"], PeopleRequests());
    }

    [Fact]
    public async Task ListAllAsync_BodyFilter_IsMergedIntoTheOperationsBodyKeepingItsFixedFields()
    {
        var provider = TestDefinitions.Loader.Load(DirectoryDefinition.Document);

        var (records, _) = await Engine.Executor.ListAllAsync(provider, await ConnectAsync(), "search",
            new ListRequest { Filters = new JsonObject { ["email"] = "u3@example.com" } });
        var (all, _) = await Engine.Executor.ListAllAsync(provider, await ConnectAsync(), "search");

        Assert.Equal(["u-3"], records.Select(r => r.RemoteId));
        Assert.Equal(25, all.Count); // no filter: the body's where has no contact (and the double refuses a body without its fixed fields)
    }

    [Fact]
    public async Task ListAllAsync_AccountOverrideOfTheQueryMapping_ReplacesThePlatformOne()
    {
        var platform = DirectoryDefinition.Json();
        var account = JsonNode.Parse("""
            { "resources": { "people": { "operations": { "list": {
                "query_mapping": "{ 'query': { 'email': $lowercase(email) } }" } } } } }
            """)!.AsObject();
        var environment = JsonNode.Parse("""
            { "resources": { "people": { "operations": { "list": {
                "query_mapping": "{ 'query': { 'email': 'nobody@example.com' } }" } } } } }
            """)!.AsObject();
        var (merged, parts) = DefinitionMerge.Merge(platform, DefinitionLevels.Platform,
            (environment, DefinitionLevels.Environment), (account, DefinitionLevels.Account));
        var provider = TestDefinitions.Loader.Load(merged.ToJsonString());

        var (records, _) = await Engine.Executor.ListAllAsync(provider, await ConnectAsync(), "people",
            new ListRequest { Filters = new JsonObject { ["email"] = "U9@EXAMPLE.COM" } });

        Assert.Equal(["u-9"], records.Select(r => r.RemoteId));
        Assert.Contains(parts, p => p.Path == "$.resources.people.operations.list.query_mapping" && p.Level == DefinitionLevels.Account);
    }

    [Fact]
    public void Load_BadQueryOrErrorMapping_IsRefusedWithItsCodeAndPosition()
    {
        var bad = DirectoryDefinition.Json();
        bad["resources"]!["people"]!["operations"]!["list"]!["query_mapping"] = "{ 'query': { 'email': email ";
        bad["error_mapping"] = "error.(";

        var errors = TestDefinitions.Errors(bad);

        Assert.Contains(errors, e => e.Path == "$.resources.people.operations.list.query_mapping" && e.Code is not null && e.Position is not null);
        Assert.Contains(errors, e => e.Path == "$.error_mapping" && e.Code is not null);
    }

    [Fact]
    public void Load_FiltersWithoutAMappingOrOnAGet_AreRefused()
    {
        var noMapping = DirectoryDefinition.Json();
        noMapping["resources"]!["people"]!["operations"]!["list"]!.AsObject().Remove("query_mapping");
        var onGet = DirectoryDefinition.Json();
        onGet["resources"]!["people"]!["operations"]!["get"]!["filters"] = new JsonObject { ["email"] = new JsonObject() };
        var reserved = DirectoryDefinition.Json();
        reserved["resources"]!["people"]!["operations"]!["list"]!["filters"]!["cursor"] = new JsonObject();

        Assert.Contains(TestDefinitions.Errors(noMapping), e => e.Path == "$.resources.people.operations.list.filters");
        Assert.Contains(TestDefinitions.Errors(onGet), e => e.Path.StartsWith("$.resources.people.operations.get", StringComparison.Ordinal));
        Assert.NotEmpty(TestDefinitions.Errors(reserved));
    }

    [Fact]
    public void Read_UnknownRepeatedOrMistypedFilters_AreRefusedNamingTheField()
    {
        var provider = TestDefinitions.Loader.Load(DirectoryDefinition.Document);
        var (_, list) = provider.Operation("people", "list");
        static QueryCollection Query(params (string, StringValues)[] pairs) => new(pairs.ToDictionary(p => p.Item1, p => p.Item2));

        var unknown = UnifiedFilters.Read(list, Query(("shoe_size", "9")));
        var repeated = UnifiedFilters.Read(list, Query(("email", new StringValues(["a@x", "b@x"]))));
        var mistyped = UnifiedFilters.Read(list, Query(("modifiedAfter", "last tuesday")));
        var good = UnifiedFilters.Read(list, Query(("modifiedAfter", "2026-01-05T01:00:00+01:00"), ("email", "u1@example.com"), ("limit", "5")));

        Assert.Equal("shoe_size", unknown.Field);
        Assert.Contains("email, modifiedAfter, since", unknown.Error, StringComparison.Ordinal);
        Assert.Equal("email", repeated.Field);
        Assert.Equal("modifiedAfter", mistyped.Field);
        Assert.Null(good.Error);
        Assert.Equal("2026-01-05T00:00:00Z", (string?)good.Filters!["modifiedAfter"]);
        Assert.Equal("u1@example.com", (string?)good.Filters["email"]);
        Assert.Equal(2, good.Given.Count);
    }

    [Fact]
    public async Task ListAllAsync_ProviderRefusesTheFilter_TheProblemCarriesTheMappedProviderError()
    {
        var provider = TestDefinitions.Loader.Load(DirectoryDefinition.Document);
        var connection = await ConnectAsync();

        var e = await Assert.ThrowsAsync<UpstreamCallException>(() => Engine.Executor.ListAllAsync(provider, connection, "people",
            new ListRequest { Filters = new JsonObject { ["since"] = "soon" } }));
        var problem = UpstreamProblems.For(e);

        Assert.Equal(400, e.Status);
        Assert.Equal(422, problem.Status);
        Assert.Equal("updated_after 'soon' is not a date.", problem.Title);
        Assert.Equal("The directory answered 400: updated_after 'soon' is not a date.", problem.Detail);
        Assert.Equal("E_BAD_DATE", problem.Extensions["code"]);
    }

    [Fact]
    public async Task ListAllAsync_OperationErrorMapping_ReplacesTheProvidersAndAbsentMappingKeepsOurWording()
    {
        var provider = TestDefinitions.Loader.Load(DirectoryDefinition.Document);
        var withoutMapping = DirectoryDefinition.Json();
        withoutMapping.Remove("error_mapping");
        var plain = TestDefinitions.Loader.Load(withoutMapping.ToJsonString());
        var badKey = await ConnectAsync("wrong-key");

        var search = await Assert.ThrowsAsync<UpstreamCallException>(() => Engine.Executor.ListAllAsync(provider, badKey, "search"));
        var unmapped = await Assert.ThrowsAsync<UpstreamCallException>(() => Engine.Executor.ListAllAsync(plain, badKey, "people"));

        var problem = UpstreamProblems.For(search);
        Assert.Equal("search:E_AUTH", problem.Extensions["code"]);
        Assert.DoesNotContain("Unknown API key", problem.Title ?? "", StringComparison.Ordinal); // the operation's mapping gives only a code
        Assert.Null(unmapped.ProviderError);
        Assert.False(UpstreamProblems.For(unmapped).Extensions.ContainsKey("code"));
        Assert.DoesNotContain("Unknown API key", System.Text.Json.JsonSerializer.Serialize(UpstreamProblems.For(unmapped)), StringComparison.Ordinal);
    }
}
