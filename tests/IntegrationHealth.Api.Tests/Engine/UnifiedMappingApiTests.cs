using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Tests.Gaps;

namespace IntegrationHealth.Api.Tests.Engine;

/// <summary>
/// The API with the people directory (<see cref="DirectoryDouble"/>, 25 people, on 127.0.0.1) as a provider tenant A
/// uploaded as data (<see cref="DirectoryDefinition"/>: typed filters through <c>query_mapping</c>, provider and
/// operation <c>error_mapping</c>): conn-dir with the directory's key, conn-wrong with an unknown key, conn-revoked with
/// a revoked one, conn-override, conn-broken and conn-path on accounts whose overrides replace parts of the people resource;
/// conn-search and conn-search-wrong on "directory-search", the same document with only its body-filtered search listing.
/// </summary>
public sealed class DirectoryApiFixture : IAsyncLifetime
{
    public DirectoryDouble Directory { get; } = new(people: 25);
    public ApiTestHost Host { get; private set; } = null!;
    public string Admin { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Directory.StartAsync();
        Host = await ApiTestHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?>
        {
            ["Engine:OriginOverrides:directory"] = Directory.Origin.GetLeftPart(UriPartial.Authority),
            ["Engine:OriginOverrides:directory-search"] = Directory.Origin.GetLeftPart(UriPartial.Authority),
        });
        Admin = await Host.CreateKeyAsync("tenant-a", ApiKeyScopes.Admin, "a-admin");
        using var client = Host.Client(Admin);
        await TestHttp.EnsureSuccessAsync(await client.PutAsync("/v1/engine/providers/directory", TestHttp.Json(DirectoryDefinition.Document)));
        // crm/contacts of a provider with two contact resources is the first by name (people), so the body-mapped
        // search listing is a provider of its own here.
        var search = DirectoryDefinition.Json();
        search["key"] = "directory-search";
        search["name"] = "Directory search";
        search["resources"]!.AsObject().Remove("people");
        await TestHttp.EnsureSuccessAsync(await client.PutAsync("/v1/engine/providers/directory-search", TestHttp.Json(search)));
        await Host.SeedAsync(Admin, ("acct-dir", []), ("acct-override", []), ("acct-broken", []), ("acct-path", []));
        static JsonObject Connection(string id, string account, string key, string provider = "directory") => new()
        {
            ["externalId"] = id, ["account"] = account, ["provider"] = provider,
            ["credentials"] = new JsonObject { ["api_key"] = key },
        };
        await TestHttp.EnsureSuccessAsync(await client.PostAsync("/v1/connections/import", TestHttp.Json(new JsonArray(
            Connection("conn-dir", "acct-dir", DirectoryDouble.ApiKey),
            Connection("conn-wrong", "acct-dir", "wrong-key"),
            Connection("conn-revoked", "acct-dir", DirectoryDouble.RevokedKey),
            Connection("conn-override", "acct-override", DirectoryDouble.ApiKey),
            Connection("conn-broken", "acct-broken", DirectoryDouble.ApiKey),
            Connection("conn-path", "acct-path", DirectoryDouble.ApiKey),
            Connection("conn-search", "acct-dir", DirectoryDouble.ApiKey, "directory-search"),
            Connection("conn-search-wrong", "acct-dir", "wrong-key", "directory-search")))));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Directory.DisposeAsync();
    }
}

/// <summary>
/// <c>GET /v1/unified/...</c> through the real API with a definition's typed filters and <c>query_mapping</c> (to query
/// parameters and into a JSON body), refused filters (unknown, repeated, mistyped: 400 naming the field, nothing sent),
/// and the definition's <c>error_mapping</c> turning the provider's error body into the problem's title, detail and code.
/// </summary>
public sealed class UnifiedMappingApiTests(DirectoryApiFixture fixture) : IClassFixture<DirectoryApiFixture>
{
    private HttpClient Client() => fixture.Host.Client(fixture.Admin);

    private static List<string> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];

    private List<string> PeopleRequestsSince(int before) =>
        [.. fixture.Directory.Requests.Skip(before).Select(r => r.PathAndQuery).Where(p => p.StartsWith("/v1/people", StringComparison.Ordinal))];

    [Fact]
    public async Task List_EmailFilter_ReachesTheProviderAsItsOwnQueryParameter()
    {
        using var client = Client();
        var before = fixture.Directory.Requests.Count;

        using var response = await client.GetAsync("/v1/unified/crm/contacts?connection=conn-dir&email=u7%40example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestHttp.ReadJsonAsync(response);
        Assert.Equal(["u-7"], Ids(page));
        Assert.Equal("Family7", page.GetProperty("items")[0].GetProperty("last_name").GetString());
        Assert.Equal(["/v1/people?email=u7%40example.com&page=1"], PeopleRequestsSince(before));
    }

    [Fact]
    public async Task List_DateTimeFilterWithAnOffset_IsSentAsUtcOnEveryPageAndTheCursorKeepsIt()
    {
        using var client = Client();
        var before = fixture.Directory.Requests.Count;
        const string filter = "modifiedAfter=2026-01-05T01%3A00%3A00%2B01%3A00";

        var first = await TestHttp.ReadJsonAsync(await client.GetAsync($"/v1/unified/crm/contacts?connection=conn-dir&limit=15&{filter}"));
        var cursor = first.GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);
        var second = await TestHttp.ReadJsonAsync(await client.GetAsync(
            $"/v1/unified/crm/contacts?connection=conn-dir&limit=15&{filter}&cursor={Uri.EscapeDataString(cursor!)}"));

        // 2026-01-05T01:00+01:00 is 2026-01-05T00:00Z: people updated after it are u-5 … u-24.
        Assert.Equal(Enumerable.Range(5, 20).Select(i => $"u-{i}"), Ids(first).Concat(Ids(second)));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        var requests = PeopleRequestsSince(before);
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Contains("updated_after=2026-01-05T00%3A00%3A00Z", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_CursorWithOtherFilters_Is400AndNothingIsSent()
    {
        using var client = Client();
        var page = await TestHttp.ReadJsonAsync(await client.GetAsync("/v1/unified/crm/contacts?connection=conn-dir&limit=5&modifiedAfter=2026-01-02T00:00:00Z"));
        var cursor = Uri.EscapeDataString(page.GetProperty("nextCursor").GetString()!);
        var before = fixture.Directory.Requests.Count;

        using var otherValue = await client.GetAsync($"/v1/unified/crm/contacts?connection=conn-dir&limit=5&modifiedAfter=2026-01-03T00:00:00Z&cursor={cursor}");
        using var dropped = await client.GetAsync($"/v1/unified/crm/contacts?connection=conn-dir&limit=5&cursor={cursor}");

        await TestHttp.AssertProblemWithFieldAsync(otherValue, HttpStatusCode.BadRequest, "cursor");
        await TestHttp.AssertProblemWithFieldAsync(dropped, HttpStatusCode.BadRequest, "cursor");
        Assert.Equal(before, fixture.Directory.Requests.Count);
    }

    [Fact]
    public async Task List_FilterMappedIntoTheBody_KeepsTheOperationsFixedBodyFields()
    {
        using var client = Client();

        var filtered = await TestHttp.ReadJsonAsync(await client.GetAsync("/v1/unified/crm/contacts?connection=conn-search&email=u3%40example.com"));
        var all = await TestHttp.ReadJsonAsync(await client.GetAsync("/v1/unified/crm/contacts?connection=conn-search&limit=100"));

        // The double answers 400 to a body without kind and where.active, so both succeeding shows the merge kept them.
        Assert.Equal(["u-3"], Ids(filtered));
        Assert.Equal(25, Ids(all).Count);
    }

    [Theory]
    [InlineData("shoe_size=9", "shoe_size", "email, modifiedAfter, since")]
    [InlineData("modifiedAfter=last%20tuesday", "modifiedAfter", "ISO 8601")]
    [InlineData("modifiedAfter=2026", "modifiedAfter", "ISO 8601")]
    [InlineData("email=a%40x&email=b%40x", "email", "once")]
    public async Task List_UnknownMistypedOrRepeatedFilter_Is400NamingItAndNothingIsSent(string query, string field, string hint)
    {
        using var client = Client();
        var before = fixture.Directory.Requests.Count;

        using var response = await client.GetAsync($"/v1/unified/crm/contacts?connection=conn-dir&{query}");

        var problem = await TestHttp.AssertProblemWithFieldAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Contains(hint, problem.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, fixture.Directory.Requests.Count);
    }

    [Fact]
    public async Task List_StringFilterOver1000Characters_Is400()
    {
        using var client = Client();
        var before = fixture.Directory.Requests.Count;

        using var response = await client.GetAsync($"/v1/unified/crm/contacts?connection=conn-dir&since={new string('x', 1001)}");

        var problem = await TestHttp.AssertProblemWithFieldAsync(response, HttpStatusCode.BadRequest, "since");
        Assert.Contains("1000", problem.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, fixture.Directory.Requests.Count);
    }

    [Fact]
    public async Task List_FilterOfAnotherResource_Is400NamingTheResourcesFilters()
    {
        using var client = Client();
        var before = fixture.Directory.Requests.Count;

        using var response = await client.GetAsync("/v1/unified/crm/contacts?connection=conn-search&modifiedAfter=2026-01-02T00:00:00Z");

        var problem = await TestHttp.AssertProblemWithFieldAsync(response, HttpStatusCode.BadRequest, "modifiedAfter");
        Assert.Contains("(filters: email)", problem.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, fixture.Directory.Requests.Count);
    }

    [Fact]
    public async Task List_ProviderRefusesTheMappedFilter_Is422WithTheMappedProviderError()
    {
        using var client = Client();

        using var response = await client.GetAsync("/v1/unified/crm/contacts?connection=conn-dir&since=soon");

        var problem = await TestHttp.AssertProblemAsync(response, (HttpStatusCode)422);
        Assert.Equal("updated_after 'soon' is not a date.", problem.GetProperty("title").GetString());
        Assert.Equal("The directory answered 400: updated_after 'soon' is not a date.", problem.GetProperty("detail").GetString());
        Assert.Equal("E_BAD_DATE", problem.GetProperty("code").GetString());
        Assert.Equal(400, problem.GetProperty("upstreamStatus").GetInt32());
        Assert.Equal("fail", problem.GetProperty("classification").GetString());
    }

    [Fact]
    public async Task Get_MissingRecord_Is404WithTheProvidersMappedMessage()
    {
        using var client = Client();

        using var response = await client.GetAsync("/v1/unified/crm/contacts/u-999?connection=conn-dir");

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("No person u-999.", problem.GetProperty("title").GetString());
        Assert.Equal("E_NOT_FOUND", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task List_UnknownKey_OperationErrorMappingReplacesTheProvidersAndTheStatusStaysOurs()
    {
        using var client = Client();

        using var people = await client.GetAsync("/v1/unified/crm/contacts?connection=conn-wrong");
        using var search = await client.GetAsync("/v1/unified/crm/contacts?connection=conn-search-wrong");

        // people: the provider-wide mapping (title, detail and code from the body); 401 classified "fail" is our 502.
        var fromProvider = await TestHttp.AssertProblemAsync(people, HttpStatusCode.BadGateway);
        Assert.Equal(("Unknown API key.", "E_AUTH"), (fromProvider.GetProperty("title").GetString(), fromProvider.GetProperty("code").GetString()));
        Assert.Equal(401, fromProvider.GetProperty("upstreamStatus").GetInt32());
        // search: the operation's own mapping gives only a code, so title and detail stay our wording.
        var fromOperation = await TestHttp.AssertProblemAsync(search, HttpStatusCode.BadGateway);
        Assert.Equal("search:E_AUTH", fromOperation.GetProperty("code").GetString());
        Assert.DoesNotContain("Unknown API key", fromOperation.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_RevokedKey_Is409NeedsReauthCarryingTheMappedError()
    {
        using var client = Client();

        using var response = await client.GetAsync("/v1/unified/crm/contacts?connection=conn-revoked");

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("needs_reauth", problem.GetProperty("reason").GetString());
        Assert.Equal(("This API key was revoked.", "E_REVOKED"), (problem.GetProperty("title").GetString(), problem.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task List_AccountOverrideOfTheQueryMapping_AppliesToThatAccountOnly()
    {
        using var client = Client();
        using var saved = await client.PutAsync("/v1/engine/overrides/directory/accounts/acct-override", TestHttp.Json("""
            { "resources": { "people": { "operations": { "list": { "query_mapping": "{ 'query': { 'email': $lowercase(email) } }" } } } } }
            """));
        await TestHttp.EnsureSuccessAsync(saved);

        var overridden = await TestHttp.ReadJsonAsync(await client.GetAsync("/v1/unified/crm/contacts?connection=conn-override&email=U9%40EXAMPLE.COM"));
        var platform = await TestHttp.ReadJsonAsync(await client.GetAsync("/v1/unified/crm/contacts?connection=conn-dir&email=U9%40EXAMPLE.COM"));

        Assert.Equal(["u-9"], Ids(overridden));
        Assert.Empty(Ids(platform)); // the uploaded mapping passes the filter as given, and the directory matches exactly
    }

    [Fact]
    public async Task Override_QueryMappingThatDoesNotCompile_Is400WithItsPositionAndNothingChanges()
    {
        using var client = Client();

        using var refused = await client.PutAsync("/v1/engine/overrides/directory", TestHttp.Json("""
            { "resources": { "people": { "operations": { "list": { "query_mapping": "{ 'query': { 'email': email " } } } } }
            """));

        var problem = await TestHttp.AssertProblemAsync(refused, HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal("$.resources.people.operations.list.query_mapping", error.GetProperty("field").GetString());
        Assert.Matches("^[ST][0-9]{4}$", error.GetProperty("code").GetString()!);
        Assert.True(error.GetProperty("position").GetInt32() > 0);
        var page = await TestHttp.ReadJsonAsync(await client.GetAsync("/v1/unified/crm/contacts?connection=conn-dir&email=u4%40example.com"));
        Assert.Equal(["u-4"], Ids(page));
    }

    [Fact]
    public async Task List_QueryMappingThatFailsOnTheFilters_Is422NamingTheMappingAndNothingIsSent()
    {
        using var client = Client();
        // Compiles, so it is saved; but it makes a text, not {query, headers, body}, of the filters.
        await TestHttp.EnsureSuccessAsync(await client.PutAsync("/v1/engine/overrides/directory/accounts/acct-broken", TestHttp.Json("""
            { "resources": { "people": { "operations": { "list": { "query_mapping": "'email=' & email" } } } } }
            """)));
        var before = fixture.Directory.Requests.Count;

        using var response = await client.GetAsync("/v1/unified/crm/contacts?connection=conn-broken&email=u1%40example.com");

        var problem = await TestHttp.AssertProblemAsync(response, (HttpStatusCode)422);
        Assert.Equal("$.resources.people.operations.list.query_mapping", problem.GetProperty("where").GetString());
        Assert.Empty(PeopleRequestsSince(before));
    }

    [Fact]
    public async Task Get_AccountOverrideOfTheTargetPathAndPostSteps_CallsTheOverriddenEndpoint()
    {
        using var client = Client();
        // This account's ids come without the directory's "u-" prefix: the override puts it back in the path and the step.
        await TestHttp.EnsureSuccessAsync(await client.PutAsync("/v1/engine/overrides/directory/accounts/acct-path", TestHttp.Json("""
            { "resources": { "people": { "operations": { "get": {
                "path": "/v1/people/u-{id}",
                "post_steps": [ { "name": "tags", "path": "/v1/tags", "query": { "ids": "u-{id}" }, "result": "tags" } ] } } } } }
            """)));
        var before = fixture.Directory.Requests.Count;

        using var response = await client.GetAsync("/v1/unified/crm/contacts/6?connection=conn-path");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = await TestHttp.ReadJsonAsync(response);
        Assert.Equal(("u-6", "vip"), (record.GetProperty("id").GetString(), record.GetProperty("custom_fields").GetProperty("tags")[0].GetString()));
        Assert.Equal(["/v1/people/u-6", "/v1/tags?ids=u-6"], fixture.Directory.Requests.Skip(before).Select(r => r.PathAndQuery));
    }
}
