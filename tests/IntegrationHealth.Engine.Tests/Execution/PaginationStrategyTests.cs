using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Tests.Definitions;
using IntegrationHealth.ProviderDoubles;

namespace IntegrationHealth.Engine.Tests.Execution;

/// <summary>The strategies and guards the shipped providers do not exercise, each from a definition written here:
/// cursors in headers, next links at a body path, offsets inside the body, page caps, next links to other origins.</summary>
public sealed class PaginationStrategyTests : IAsyncLifetime
{
    private readonly ConventionsDouble _double = new(records: 45);
    private EngineHarness _engine = null!;

    public async Task InitializeAsync()
    {
        await _double.StartAsync();
        _engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["conventions"] = _double });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _double.DisposeAsync();
    }

    /// <summary>An api-key provider with one <c>items</c> resource whose list operation is <paramref name="operation"/>.</summary>
    private static Engine.Definitions.LoadedProvider Provider(string operation) => TestDefinitions.Loader.Load($$"""
        {
          "key": "conventions", "name": "Conventions", "base_url": "https://api.conventions.test",
          "auth": { "kind": "api_key", "inject": { "header": "X-Api-Key", "value": "{api_key}" } },
          "resources": { "items": { "model": "crm.contact", "operations": { "list": {{operation}} } } }
        }
        """);

    private const string Mapping = "\"response_mapping\": \"{ 'id': id, 'email': email }\"";

    private async Task<List<string>> IdsAsync(Engine.Definitions.LoadedProvider provider, ListRequest? request = null)
    {
        var connection = await _engine.ConnectAsync(ConnectionCredentials.Of(("api_key", "k-1")));
        var (records, failures) = await _engine.Executor.ListAllAsync(provider, connection, "items", request);
        Assert.Empty(failures);
        return [.. records.Select(r => r.RemoteId)];
    }

    private static IEnumerable<string> Expected => Enumerable.Range(0, 45).Select(i => $"item-{i}");

    [Fact]
    public async Task Cursor_FromAResponseHeader_SentBackAsARequestHeader()
    {
        var provider = Provider($$"""
            { "method": "GET", "path": "/items/header-cursor", "records": "$", {{Mapping}},
              "pagination": { "strategy": "cursor", "cursor_from": { "header": "X-Next-Cursor" }, "cursor_to": { "header": "X-Cursor" } } }
            """);

        Assert.Equal(Expected, await IdsAsync(provider));
        Assert.Equal(["", "10", "20", "30", "40"], _double.Requests.Select(r => r.Headers.GetValueOrDefault("X-Cursor", "")));
        Assert.All(_double.Requests, r => Assert.Equal("k-1", r.Headers["X-Api-Key"]));
    }

    [Fact]
    public async Task Cursor_FromABodyPath_SentAtANestedPathOfTheRequestBody()
    {
        var provider = Provider($$"""
            { "method": "POST", "path": "/items/cursor-body", "body": { "query": { "kind": "contact" } }, "records": "result.rows", {{Mapping}},
              "pagination": { "strategy": "cursor", "cursor_from": { "body": "result.next_cursor" }, "cursor_to": { "body_path": "query.page.cursor" } } }
            """);

        Assert.Equal(Expected, await IdsAsync(provider));
        Assert.Equal(5, _double.Requests.Count);
    }

    [Fact]
    public async Task PageNumber_InTheQueryFromOne_UntilAnEmptyPage()
    {
        await using var greenhouse = new GreenhouseDouble(candidates: 120);
        await greenhouse.StartAsync();
        await using var engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["numbered"] = greenhouse });
        var provider = TestDefinitions.Loader.Load("""
            {
              "key": "numbered", "name": "Numbered", "base_url": "https://numbered.test/v1",
              "auth": { "kind": "basic", "username": "{api_key}", "password": "", "credential_fields": ["api_key"] },
              "resources": { "candidates": { "operations": { "list": { "method": "GET", "path": "/candidates", "records": "$",
                "pagination": { "strategy": "page_number", "page_param": { "query": "page" }, "start": 1, "page_size": 50, "page_size_param": { "query": "per_page" } } } } } }
            }
            """);
        var connection = await engine.ConnectAsync(ConnectionCredentials.Of(("api_key", GreenhouseDouble.ApiKey)));

        var (records, _) = await engine.Executor.ListAllAsync(provider, connection, "candidates");

        Assert.Equal(120, records.Count);
        Assert.Equal(["page=1", "page=2", "page=3", "page=4"], greenhouse.Requests.Select(r => r.PathAndQuery.Split('?')[1].Split('&').Single(p => p.StartsWith("page="))));
    }

    [Fact]
    public async Task NextUrl_AtABodyPath_RelativeLinksFollowedUntilNull()
    {
        var provider = Provider($$"""
            { "method": "GET", "path": "/items/next-url", "records": "items", {{Mapping}},
              "pagination": { "strategy": "next_url", "next_url_from": { "body": "links.next" } } }
            """);

        Assert.Equal(Expected, await IdsAsync(provider));
        Assert.Equal("/items/next-url?page=5", _double.Requests.Last().PathAndQuery);
    }

    [Fact]
    public async Task NextUrl_ToAnotherOrigin_IsRefusedAndNotFollowed()
    {
        _double.ForeignNextLink = "http://127.0.0.2:9/items/next-url?page=2";
        var provider = Provider($$"""
            { "method": "GET", "path": "/items/next-url", "records": "items", {{Mapping}},
              "pagination": { "strategy": "next_url", "next_url_from": { "body": "links.next" } } }
            """);

        var error = await Assert.ThrowsAsync<PaginationException>(() => IdsAsync(provider));

        Assert.Equal(PaginationFailure.ForeignNextLink, error.Failure);
        Assert.Single(_double.Requests);
    }

    [Fact]
    public async Task Offset_InTheBody_CountedByPageSize_NotSentOnTheFirstRequest()
    {
        var provider = Provider($$"""
            { "method": "POST", "path": "/items/offset-body", "body": { "paging": {} }, "records": "records", {{Mapping}},
              "pagination": { "strategy": "offset", "offset_param": { "body_path": "paging.offset" }, "send_on_first": false,
                              "count_by": "page_size", "page_size": 20, "page_size_param": { "body_path": "paging.limit" },
                              "stop_when": "body.offset + $count(body.records) >= body.total" } }
            """);

        Assert.Equal(Expected, await IdsAsync(provider));
        Assert.Equal(3, _double.Requests.Count);
    }

    [Fact]
    public async Task ShortPage_IsTheLastOnlyWhenTheDefinitionSaysSo()
    {
        _double.PageSizeCap = 10; // asked 20, served 10, silently
        var operation = """
            { "method": "POST", "path": "/items/offset-body", "body": { "paging": {} }, "records": "records", "response_mapping": "{ 'id': id, 'email': email }",
              "pagination": { "strategy": "offset", "offset_param": { "body_path": "paging.offset" }, "page_size": 20,
                              "page_size_param": { "body_path": "paging.limit" }, "short_page_is_last": SHORT } }
            """;

        var careful = await IdsAsync(Provider(operation.Replace("SHORT", "false")));
        var requests = _double.Requests.Count;
        var trusting = await IdsAsync(Provider(operation.Replace("SHORT", "true")));

        Assert.Equal(Expected, careful); // reads on until an empty page: 5 pages of 10, then an empty one
        Assert.Equal(6, requests);
        Assert.Equal(Expected.Take(10), trusting); // the definition said a short page is the last: the cap cost records
    }

    [Fact]
    public async Task MaxPages_EndsPaginationWithAnError()
    {
        var provider = Provider($$"""
            { "method": "GET", "path": "/items/header-cursor", "records": "$", {{Mapping}},
              "pagination": { "strategy": "cursor", "cursor_from": { "header": "X-Next-Cursor" }, "cursor_to": { "header": "X-Cursor" }, "max_pages": 3 } }
            """);

        var error = await Assert.ThrowsAsync<PaginationException>(() => IdsAsync(provider));

        Assert.Equal((PaginationFailure.MaxPagesExceeded, 3), (error.Failure, error.Pages));
        Assert.Equal(3, _double.Requests.Count);
    }

    [Fact]
    public async Task MaxPages_FromTheRequest_OverridesTheDefinition()
    {
        var provider = Provider($$"""
            { "method": "GET", "path": "/items/header-cursor", "records": "$", {{Mapping}},
              "pagination": { "strategy": "cursor", "cursor_from": { "header": "X-Next-Cursor" }, "cursor_to": { "header": "X-Cursor" } } }
            """);

        var error = await Assert.ThrowsAsync<PaginationException>(() => IdsAsync(provider, new ListRequest { MaxPages = 2 }));

        Assert.Equal(PaginationFailure.MaxPagesExceeded, error.Failure);
    }

    [Fact]
    public async Task StopWhen_OverHeadersAndPage_EndsWhereItSays()
    {
        var provider = Provider($$"""
            { "method": "GET", "path": "/items/header-cursor", "records": "$", {{Mapping}},
              "pagination": { "strategy": "cursor", "cursor_from": { "header": "X-Next-Cursor" }, "cursor_to": { "header": "X-Cursor" },
                              "stop_when": "page.number = 2 and $exists(headers.'x-next-cursor')" } }
            """);

        Assert.Equal(Expected.Take(20), await IdsAsync(provider));
    }

    [Fact]
    public async Task MappingFailures_AreReportedPerRecordAndDoNotFailThePage()
    {
        var provider = Provider("""
            { "method": "GET", "path": "/items/next-url", "records": "items",
              "response_mapping": "{ 'id': id, 'email': id = 'item-3' ? 'not an address' : email, 'first_name': id = 'item-4' ? 42 : null }" }
            """);
        var connection = await _engine.ConnectAsync(ConnectionCredentials.Of(("api_key", "k-1")));

        var page = await _engine.Executor.ListAsync(provider, connection, "items").FirstAsync();

        Assert.Equal(8, page.Records.Count);
        Assert.Equal([("item-3", "$.email"), ("item-4", "$.first_name")], page.MappingFailures.Select(f => (f.RemoteId, f.Where)));
        var failures = (await _engine.TelemetryAsync()).Where(e => e.Kind == Data.Entities.TelemetryKind.MappingFailure).ToList();
        Assert.All(failures, f => Assert.Equal("items", f.Resource));
        Assert.Equal([("$.email", "item-3"), ("$.first_name", "item-4")], failures.Select(f => (f.Detail!.Field, f.Detail.RecordId)));
        Assert.All(failures, f => Assert.False(string.IsNullOrEmpty(f.Detail!.ErrorMessage)));
    }

    [Fact]
    public async Task MissingCredential_IsAConfigurationErrorBeforeAnyCall()
    {
        var provider = Provider($$"""{ "method": "GET", "path": "/items/next-url", "records": "items", {{Mapping}} }""");
        var connection = await _engine.ConnectAsync(ConnectionCredentials.Of(("other", "x")));

        var error = await Assert.ThrowsAsync<ConnectionConfigurationException>(async () => await _engine.Executor.ListAsync(provider, connection, "items").FirstAsync());

        Assert.Contains("'api_key'", error.Message);
        Assert.Empty(_double.Requests);
    }

    [Fact]
    public async Task ApiKeyInTheQuery_ReplacesNothingElseInTheQuery()
    {
        var provider = TestDefinitions.Loader.Load("""
            {
              "key": "conventions", "name": "Conventions", "base_url": "https://api.conventions.test",
              "auth": { "kind": "api_key", "inject": { "query": "key", "value": "{api_key}" } },
              "resources": { "items": { "operations": { "list": { "method": "GET", "path": "/items/next-url", "query": { "page": "1", "q": "{q}" }, "records": "items" } } } }
            }
            """);
        var connection = await _engine.ConnectAsync(ConnectionCredentials.Of(("api_key", "s&cret")));

        var page = await _engine.Executor.ListAsync(provider, connection, "items", new ListRequest { Parameters = new Dictionary<string, string> { ["q"] = "a b" } }).FirstAsync();

        Assert.Null(page.Records[0].Model); // no model: the provider's records as they are
        Assert.Equal("item-0", (string?)page.Records[0].Data["id"]);
        Assert.Equal("/items/next-url?page=1&q=a%20b&key=s%26cret", Assert.Single(_double.Requests).PathAndQuery);
    }
}
