using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Tests.Definitions;
using IntegrationHealth.ProviderDoubles;
using IntegrationHealth.Engine.Tests.Execution;
using IntegrationHealth.Engine.Unified;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Tests.Unified;

/// <summary>Single-record operations and resumable listings of the shipped HubSpot and Pipedrive definitions against
/// their doubles: the request mapping builds the provider's body, the response mapping reads the answer.</summary>
public sealed class RecordOperationTests : IAsyncLifetime
{
    private readonly HubSpotDouble _hubspot = new();
    private readonly PipedriveDouble _pipedrive = new();
    private EngineHarness _engine = null!;

    public async Task InitializeAsync()
    {
        await _hubspot.StartAsync();
        await _pipedrive.StartAsync();
        _engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["hubspot"] = _hubspot, ["pipedrive"] = _pipedrive });
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _hubspot.DisposeAsync();
        await _pipedrive.DisposeAsync();
    }

    private Task<EngineConnection> HubSpotAsync() => _engine.ConnectAsync(ConnectionCredentials.Of(
        ("client_id", HubSpotDouble.ClientId), ("client_secret", HubSpotDouble.ClientSecret),
        ("access_token", _hubspot.ValidToken), ("refresh_token", _hubspot.RefreshToken)));

    private Task<EngineConnection> PipedriveAsync() =>
        _engine.ConnectAsync(ConnectionCredentials.Of(("api_key", PipedriveDouble.ApiToken)), ("company_domain", "acme"));

    [Fact]
    public async Task RecordAsync_HubSpotCreateUpdateGetDelete_RoundTripsThroughTheMappings()
    {
        var connection = await HubSpotAsync();
        var hubspot = _engine.Registry.Get("hubspot");
        var input = JsonNode.Parse("""{ "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "custom_fields": { "lifecyclestage": "customer" } }""");

        var created = await _engine.Executor.RecordAsync(hubspot, connection, "contacts", "create", null, input);

        Assert.Equal(201, created.Status);
        var id = created.Record!.RemoteId;
        Assert.Equal("100001", id);
        Assert.Equal("Ada", (string?)created.Record.Data["first_name"]);
        var sent = _hubspot.Written[id]["properties"]!;
        Assert.Equal("ada@example.com", (string?)sent["email"]);
        Assert.Equal("Lovelace", (string?)sent["lastname"]);
        Assert.Equal("customer", (string?)sent["lifecyclestage"]);
        Assert.Null(sent["phone"]); // absent in the input: not sent

        var updated = await _engine.Executor.RecordAsync(hubspot, connection, "contacts", "update", id, JsonNode.Parse("""{ "phone": "+44 20 7946 0000" }"""));
        Assert.Equal("+44 20 7946 0000", (string?)updated.Record!.Data["phone"]);
        Assert.Equal("Ada", (string?)updated.Record.Data["first_name"]);
        Assert.Equal("PATCH", _hubspot.Requests.Last().Method);

        var got = await _engine.Executor.RecordAsync(hubspot, connection, "contacts", "get", id, null);
        Assert.Equal("+44 20 7946 0000", (string?)got.Record!.Data["phone"]);

        var deleted = await _engine.Executor.RecordAsync(hubspot, connection, "contacts", "delete", id, null);
        Assert.True(deleted.Found);
        Assert.Equal(204, deleted.Status);
        var gone = await _engine.Executor.RecordAsync(hubspot, connection, "contacts", "get", id, null);
        Assert.False(gone.Found);
    }

    [Fact]
    public async Task RecordAsync_PipedriveCreateUpdateGetDelete_RoundTripsThroughTheMappings()
    {
        var connection = await PipedriveAsync();
        var pipedrive = _engine.Registry.Get("pipedrive");

        var created = await _engine.Executor.RecordAsync(pipedrive, connection, "persons", "create", null,
            JsonNode.Parse("""{ "first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com" }"""));

        var id = created.Record!.RemoteId;
        Assert.Equal("90001", id);
        Assert.Equal("grace@example.com", (string?)created.Record.Data["email"]);
        Assert.Equal("2025-01-01T00:00:00Z", (string?)created.Record.Data["created_at"]);
        var sent = _pipedrive.Written[id];
        Assert.Equal("Grace Hopper", (string?)sent["name"]);
        Assert.Equal("grace@example.com", (string?)sent["email"]![0]!["value"]);
        Assert.Contains("api_token=pd-token", _pipedrive.Requests.Last().PathAndQuery);

        var updated = await _engine.Executor.RecordAsync(pipedrive, connection, "persons", "update", id, JsonNode.Parse("""{ "phone": "555-1234" }"""));
        Assert.Equal("555-1234", (string?)updated.Record!.Data["phone"]);
        Assert.Equal("Grace", (string?)updated.Record.Data["first_name"]);
        Assert.Equal("Grace Hopper", (string?)_pipedrive.Written[id]["name"]); // no name in the update: none sent, the old one kept

        var got = await _engine.Executor.RecordAsync(pipedrive, connection, "persons", "get", "7", null);
        Assert.Equal("Person", (string?)got.Record!.Data["first_name"]);

        var deleted = await _engine.Executor.RecordAsync(pipedrive, connection, "persons", "delete", id, null);
        Assert.True(deleted.Found);
        Assert.False((await _engine.Executor.RecordAsync(pipedrive, connection, "persons", "get", id, null)).Found);
    }

    [Fact]
    public async Task RecordAsync_ProviderRefusesTheBody_IsAnUpstreamFailureWith400()
    {
        var connection = await HubSpotAsync();

        var e = await Assert.ThrowsAsync<UpstreamCallException>(() => _engine.Executor.RecordAsync(_engine.Registry.Get("hubspot"), connection,
            "contacts", "create", null, JsonNode.Parse("""{ "first_name": "No email" }""")));

        Assert.Equal(400, e.Status);
        Assert.Equal(422, UpstreamProblems.For(e).Status);
    }

    [Fact]
    public async Task ListAsync_ResumedAtAPagesNext_ContinuesWhereTheListingStopped()
    {
        var connection = await PipedriveAsync();
        var pipedrive = _engine.Registry.Get("pipedrive");
        var first = await _engine.Executor.ListAsync(pipedrive, connection, "persons").FirstAsync();
        Assert.NotNull(first.Next);

        var rest = new List<UnifiedRecord>();
        await foreach (var page in _engine.Executor.ListAsync(pipedrive, connection, "persons", new ListRequest { ResumeFrom = first.Next }))
            rest.AddRange(page.Records);

        Assert.Equal(100, first.Records.Count);
        Assert.Equal(130, rest.Count);
        Assert.Equal("101", rest[0].RemoteId);
        Assert.Equal("230", rest[^1].RemoteId);
        Assert.Contains("start=200", _pipedrive.Requests.Last().PathAndQuery);
    }

    [Fact]
    public async Task ListAsync_ResumedAtACursorPosition_HubSpotContinuesFromTheCursor()
    {
        var connection = await HubSpotAsync();
        var hubspot = _engine.Registry.Get("hubspot");
        var pages = await _engine.Executor.ListAsync(hubspot, connection, "contacts").Take(2).ToListAsync();

        var again = await _engine.Executor.ListAsync(hubspot, connection, "contacts", new ListRequest { ResumeFrom = pages[1].Position }).FirstAsync();

        Assert.Equal(pages[1].Records.Select(r => r.RemoteId), again.Records.Select(r => r.RemoteId));
        Assert.Contains("after=100", _hubspot.Requests.Last().PathAndQuery);
    }

    [Fact]
    public void Definition_CreateWithoutRequestMappingAndUpdateWithoutId_AreRefusedNamingTheirPaths()
    {
        var definition = TestDefinitions.Minimal();
        var operations = definition["resources"]!["contacts"]!["operations"]!.AsObject();
        operations["create"] = JsonNode.Parse("""{ "method": "POST", "path": "/contacts" }""");
        operations["update"] = JsonNode.Parse("""{ "method": "PATCH", "path": "/contacts", "request_mapping": "{ 'email': email" }""");

        var (provider, errors) = TestDefinitions.Loader.TryLoad(definition.ToJsonString());

        Assert.Null(provider);
        Assert.Contains(errors, e => e.Path == "$.resources.contacts.operations.create.request_mapping");
        Assert.Contains(errors, e => e.Path == "$.resources.contacts.operations.update.path");
        Assert.Contains(errors, e => e.Path == "$.resources.contacts.operations.update.request_mapping" && e.Code is not null);
    }
}

/// <summary>The unified API's cursor: it opens only for the tenant, connection, resource and filters it was made for.</summary>
public sealed class UnifiedCursorTests
{
    private static readonly UnifiedCursor Cursors = new(new EphemeralDataProtectionProvider(), Options.Create(new UnifiedOptions()));

    private static readonly UnifiedCursorState State = new(1, 42, "hubspot/contacts", UnifiedCursor.FiltersDigest([new("email", "a@b.c")]),
        """{"v":[{"v":"100","q":"after"}],"k":"100"}""", 7);

    [Fact]
    public void Open_TheSameScope_GivesTheStateBack()
    {
        var opened = Cursors.Open(Cursors.Protect(State), 1, 42, "hubspot/contacts", State.Filters);

        Assert.Equal(State, opened);
    }

    [Fact]
    public void Open_AnotherTenantConnectionResourceOrFilters_IsRefused()
    {
        var cursor = Cursors.Protect(State);

        Assert.Null(Cursors.Open(cursor, 2, 42, "hubspot/contacts", State.Filters));
        Assert.Null(Cursors.Open(cursor, 1, 43, "hubspot/contacts", State.Filters));
        Assert.Null(Cursors.Open(cursor, 1, 42, "hubspot/companies", State.Filters));
        Assert.Null(Cursors.Open(cursor, 1, 42, "hubspot/contacts", UnifiedCursor.FiltersDigest([])));
    }

    [Fact]
    public void Open_AnyEditedCharacter_IsRefused()
    {
        var cursor = Cursors.Protect(State);
        for (var i = 0; i < cursor.Length; i += 7)
        {
            var edited = cursor[..i] + (cursor[i] == 'A' ? 'B' : 'A') + cursor[(i + 1)..];
            Assert.Null(Cursors.Open(edited, 1, 42, "hubspot/contacts", State.Filters));
        }
        Assert.Null(Cursors.Open("not a cursor!", 1, 42, "hubspot/contacts", State.Filters));
        Assert.Null(Cursors.Open("", 1, 42, "hubspot/contacts", State.Filters));
    }
}
