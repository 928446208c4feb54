using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Overrides;
using IntegrationHealth.ProviderDoubles;
using IntegrationHealth.Engine.Tests.Syncs;

namespace IntegrationHealth.Engine.Tests.Overrides;

/// <summary>The override hierarchy through the real store: precedence, validation at save, history and roll-back,
/// two processes on one database, pre-steps, and tenants kept apart. Run on SQLite and PostgreSQL.</summary>
public abstract class OverrideSuite
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private const string ListPath = "resources.contacts.operations.list";

    private static JsonObject Override(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static string MappingOf(EffectiveProvider? effective) => effective!.Provider.Definition.Resources["contacts"].Operations["list"].ResponseMapping!;

    [StoreFact]
    public async Task FindAsync_AccountOverEnvironmentOverPlatform_ObjectsMergedArraysReplaced()
    {
        await using var database = await CreateDatabaseAsync();
        await using var engine = StoreEngine.Create(database, settings: new Dictionary<string, string?> { ["Engine:DefinitionRefreshInterval"] = "00:00:00" });
        var (tenant, account) = await engine.TenantAsync("acme");
        var other = await engine.AccountAsync(tenant, "other");
        var platform = MappingOf(await engine.Registry.FindAsync(tenant, "hubspot", account));

        var env = await engine.Overrides.SaveAsync(tenant, "hubspot", null, null, Override("""
            { "resources": { "contacts": { "operations": { "list": {
                "query": { "extra": "1" },
                "responses": [ { "when": { "status": [418] }, "action": "retry" }, { "when": { "status": [419] }, "action": "retry" } ],
                "response_mapping": "{ 'id': id, 'first_name': 'ENV' }" } } } } }
            """), default);
        var acct = await engine.Overrides.SaveAsync(tenant, "hubspot", account, "acme-acct", Override("""
            { "resources": { "contacts": { "operations": { "list": {
                "responses": [ { "when": { "status": [420] }, "action": "ignore" } ],
                "response_mapping": "{ 'id': id, 'first_name': 'ACCOUNT' }" } } } } }
            """), default);

        Assert.Equal((OverrideOutcome.Saved, OverrideOutcome.Saved), (env.Outcome, acct.Outcome));
        var forAccount = await engine.Registry.FindAsync(tenant, "hubspot", account);
        var forOther = await engine.Registry.FindAsync(tenant, "hubspot", other);
        Assert.Equal("{ 'id': id, 'first_name': 'ACCOUNT' }", MappingOf(forAccount));
        Assert.Equal("{ 'id': id, 'first_name': 'ENV' }", MappingOf(forOther));
        Assert.NotEqual(platform, MappingOf(forOther));
        var list = forAccount!.Provider.Definition.Resources["contacts"].Operations["list"];
        // Objects key by key: the platform's query parameters stay beside the environment's new one.
        Assert.Equal(["archived", "extra", "properties"], list.Query.Keys.Order());
        // Arrays replaced: the account's one rule, not the environment's two after or before it.
        Assert.Equal(420, Assert.Single(list.Responses).When.Status![0].GetInt32());
        Assert.Equal(2, forOther!.Provider.Definition.Resources["contacts"].Operations["list"].Responses.Count);
        Assert.Equal((1, 1), (forAccount.EnvironmentVersion, forAccount.AccountVersion));
        var levels = forAccount.Parts.ToDictionary(p => p.Path, p => p.Level);
        Assert.Equal("account", levels[$"$.{ListPath}.response_mapping"]);
        Assert.Equal("account", levels[$"$.{ListPath}.responses"]);
        Assert.Equal("environment", levels[$"$.{ListPath}.query.extra"]);
        Assert.Equal("platform", levels[$"$.{ListPath}.query.archived"]);
        Assert.Equal("platform", levels["$.base_url"]);
    }

    [StoreFact]
    public async Task SaveAsync_BadJsonata_RefusedWithCodeAndPositionAndNothingStored()
    {
        await using var database = await CreateDatabaseAsync();
        await using var engine = StoreEngine.Create(database);
        var (tenant, account) = await engine.TenantAsync("acme");

        var result = await engine.Overrides.SaveAsync(tenant, "hubspot", account, "acme-acct", Override("""
            { "resources": { "contacts": { "operations": { "list": { "response_mapping": "{ 'id': id, 'x': $string(" } } } } }
            """), default);

        Assert.Equal(OverrideOutcome.Invalid, result.Outcome);
        var error = Assert.Single(result.Errors);
        Assert.Equal($"$.{ListPath}.response_mapping", error.Path);
        Assert.StartsWith("S0", error.Code);
        Assert.True(error.Position > 0);
        Assert.Null(await engine.Overrides.GetAsync(tenant, "hubspot", account, null, default));
        Assert.Null(await engine.Overrides.HistoryAsync(tenant, "hubspot", account, default));
    }

    [StoreFact]
    public async Task SaveAsync_NonResourceMember_RefusedNamingIt()
    {
        await using var database = await CreateDatabaseAsync();
        await using var engine = StoreEngine.Create(database);
        var (tenant, _) = await engine.TenantAsync("acme");

        var result = await engine.Overrides.SaveAsync(tenant, "hubspot", null, null, Override("""{ "base_url": "https://evil.example" }"""), default);

        Assert.Equal(OverrideOutcome.Invalid, result.Outcome);
        Assert.Equal("$.base_url", Assert.Single(result.Errors).Path);
    }

    [StoreFact]
    public async Task EnvironmentChange_BreakingAnAccountOverride_IsRefused()
    {
        await using var database = await CreateDatabaseAsync();
        await using var engine = StoreEngine.Create(database);
        var (tenant, account) = await engine.TenantAsync("acme");
        // The account override adds a query value; an environment change turning the operation into a POST with a
        // non-object body would make the account's merge invalid (pagination needs no body here, so use a bad path).
        await engine.Overrides.SaveAsync(tenant, "hubspot", account, "acme-acct",
            Override("""{ "resources": { "contacts": { "operations": { "list": { "query": { "x": "1" } } } } } }"""), default);

        var result = await engine.Overrides.SaveAsync(tenant, "hubspot", null, null,
            Override("""{ "resources": { "contacts": { "operations": { "list": { "path": "no-leading-slash" } } } } }"""), default);

        Assert.Equal(OverrideOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Errors, e => e.Path == $"$.{ListPath}.path");
    }

    [StoreFact]
    public async Task HistoryAndRollback_RestoreAnEarlierVersionAsANewOne()
    {
        await using var database = await CreateDatabaseAsync();
        await using var engine = StoreEngine.Create(database);
        var (tenant, _) = await engine.TenantAsync("acme");
        string Mapping(string name) => $$"""{ "resources": { "contacts": { "operations": { "list": { "response_mapping": "{ 'id': id, 'first_name': '{{name}}' }" } } } } }""";

        await engine.Overrides.SaveAsync(tenant, "hubspot", null, null, Override(Mapping("ONE")), default);
        await engine.Overrides.SaveAsync(tenant, "hubspot", null, null, Override(Mapping("TWO")), default);
        Assert.Equal("{ 'id': id, 'first_name': 'TWO' }", MappingOf(await engine.Registry.FindAsync(tenant, "hubspot", null)));
        var rolledBack = await engine.Overrides.RollbackAsync(tenant, "hubspot", null, null, 1, default);
        var missing = await engine.Overrides.RollbackAsync(tenant, "hubspot", null, null, 9, default);

        Assert.Equal(OverrideOutcome.Saved, rolledBack.Outcome);
        Assert.Equal(3, rolledBack.View!.Version);
        Assert.Equal(OverrideOutcome.NotFound, missing.Outcome);
        Assert.Equal("{ 'id': id, 'first_name': 'ONE' }", MappingOf(await engine.Registry.FindAsync(tenant, "hubspot", null)));
        var history = await engine.Overrides.HistoryAsync(tenant, "hubspot", null, default);
        Assert.Equal([(3, "rollback", (int?)1), (2, "save", null), (1, "save", null)], history!.Select(h => (h.Version, h.Change, h.RestoredVersion)));

        var deleted = await engine.Overrides.SaveAsync(tenant, "hubspot", null, null, null, default);
        Assert.Equal((OverrideOutcome.Saved, 4), (deleted.Outcome, deleted.View!.Version));
        Assert.Null(await engine.Overrides.GetAsync(tenant, "hubspot", null, null, default));
        Assert.Equal(MappingOf(await engine.Registry.FindAsync(tenant, "hubspot", -1)), engine.Registry.Platform.Get("hubspot").Definition.Resources["contacts"].Operations["list"].ResponseMapping);
    }

    [StoreFact]
    public async Task ChangesInOneProcess_AreSeenByAnotherOnTheSameDatabase()
    {
        await using var database = await CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Engine:DefinitionRefreshInterval"] = "00:00:00" };
        await using var first = StoreEngine.Create(database, settings: settings);
        await using var second = StoreEngine.Create(database, settings: settings);
        var (tenant, _) = await first.TenantAsync("acme");
        Assert.Null(await second.Registry.FindBaseAsync(tenant, "peopleapi")); // cached before the change

        Assert.Equal(DefinitionUploadOutcome.Created, (await first.Definitions.SaveAsync(tenant, "peopleapi", PagedRecordsDouble.Definition(), default)).Outcome);
        await first.Overrides.SaveAsync(tenant, "hubspot", null, null,
            Override("""{ "resources": { "contacts": { "operations": { "list": { "response_mapping": "{ 'id': id }" } } } } }"""), default);

        Assert.NotNull(await second.Registry.FindBaseAsync(tenant, "peopleapi"));
        Assert.Equal("{ 'id': id }", MappingOf(await second.Registry.FindAsync(tenant, "hubspot", null)));
        Assert.Contains(await second.Registry.ListAsync(tenant), p => p.Key == "peopleapi" && p.Origin == "tenant:peopleapi@v1");
    }

    [StoreFact]
    public async Task ChangesInOneProcess_AreSeenByAnotherWithinTheRefreshInterval()
    {
        await using var database = await CreateDatabaseAsync();
        await using var first = StoreEngine.Create(database);
        await using var second = StoreEngine.Create(database, settings: new Dictionary<string, string?> { ["Engine:DefinitionRefreshInterval"] = "00:00:00.200" });
        var (tenant, _) = await first.TenantAsync("acme");
        Assert.Null(await second.Registry.FindBaseAsync(tenant, "peopleapi"));

        await first.Definitions.SaveAsync(tenant, "peopleapi", PagedRecordsDouble.Definition(), default);

        // Eventually (the bound is the interval); polled, so the test asserts the behaviour, not a timing.
        var seen = false;
        for (var i = 0; i < 100 && !seen; i++)
        {
            seen = await second.Registry.FindBaseAsync(tenant, "peopleapi") is not null;
            if (!seen) await Task.Delay(50);
        }
        Assert.True(seen);
    }

    [StoreFact]
    public async Task Upload_PlatformKeyOrInvalid_IsRefused_AndRegistersTheProviderWhenValid()
    {
        await using var database = await CreateDatabaseAsync();
        await using var engine = StoreEngine.Create(database);
        var (tenant, _) = await engine.TenantAsync("acme");

        var platform = await engine.Definitions.SaveAsync(tenant, "hubspot", engine.Registry.Platform.Get("hubspot").Json, default);
        var catalogueOnly = await engine.Definitions.SaveAsync(tenant, "slack", PagedRecordsDouble.Definition("slack"), default);
        var wrongKey = await engine.Definitions.SaveAsync(tenant, "other", PagedRecordsDouble.Definition(), default);
        var bad = await engine.Definitions.SaveAsync(tenant, "peopleapi", PagedRecordsDouble.Definition().Replace("$string(id)", "$string(id"), default);
        var created = await engine.Definitions.SaveAsync(tenant, "peopleapi", PagedRecordsDouble.Definition(), default);
        var replaced = await engine.Definitions.SaveAsync(tenant, "peopleapi", PagedRecordsDouble.Definition(), default);

        Assert.Equal(DefinitionUploadOutcome.PlatformKey, platform.Outcome);
        Assert.Equal(DefinitionUploadOutcome.PlatformKey, catalogueOnly.Outcome);
        Assert.Equal("$.key", Assert.Single(wrongKey.Errors).Path);
        Assert.Equal("$.resources.people.operations.list.response_mapping", Assert.Single(bad.Errors).Path);
        Assert.Equal((DefinitionUploadOutcome.Created, 1), (created.Outcome, created.Version));
        Assert.Equal((DefinitionUploadOutcome.Replaced, 2), (replaced.Outcome, replaced.Version));
        await using var db = database.CreateContext();
        var row = Assert.Single(db.Providers.Where(p => p.TenantId == tenant));
        Assert.Equal(("peopleapi", "People API", "hris"), (row.Key, row.Name, row.Category));
    }

    [StoreFact]
    public async Task OtherTenants_DefinitionsAndOverrides_AreInvisible()
    {
        await using var database = await CreateDatabaseAsync();
        await using var engine = StoreEngine.Create(database);
        var (a, _) = await engine.TenantAsync("tenant-a");
        var (b, _) = await engine.TenantAsync("tenant-b");
        await engine.Definitions.SaveAsync(a, "peopleapi", PagedRecordsDouble.Definition(), default);
        await engine.Overrides.SaveAsync(a, "hubspot", null, null,
            Override("""{ "resources": { "contacts": { "operations": { "list": { "response_mapping": "{ 'id': id }" } } } } }"""), default);

        Assert.Null(await engine.Registry.FindBaseAsync(b, "peopleapi"));
        Assert.DoesNotContain(await engine.Registry.ListAsync(b), p => p.Key == "peopleapi");
        Assert.Null(await engine.Overrides.GetAsync(b, "hubspot", null, null, default));
        Assert.Equal(engine.Registry.Platform.Get("hubspot").Definition.Resources["contacts"].Operations["list"].ResponseMapping,
            MappingOf(await engine.Registry.FindAsync(b, "hubspot", null)));
        Assert.Equal(OverrideOutcome.NotFound, (await engine.Overrides.SaveAsync(b, "peopleapi", null, null,
            Override("""{ "resources": {} }"""), default)).Outcome);
    }

    [StoreFact]
    public async Task PreSteps_ResultsAreBoundForTheMapping()
    {
        await using var database = await CreateDatabaseAsync();
        await using var people = new PagedRecordsDouble(people: 12);
        await people.StartAsync();
        await using var engine = StoreEngine.Create(database, new Dictionary<string, ProviderDouble> { ["peopleapi"] = people });
        var (tenant, account) = await engine.TenantAsync("acme");
        await engine.Definitions.SaveAsync(tenant, "peopleapi", PagedRecordsDouble.Definition(), default);
        var saved = await engine.Overrides.SaveAsync(tenant, "peopleapi", account, "acme-acct", Override("""
            { "resources": { "people": { "operations": { "list": {
                "pre_steps": [ { "name": "fields", "path": "/v2/fields", "result": "fields" } ],
                "response_mapping": "( $c := custom; { 'id': $string(id), 'custom_fields': $merge($steps.fields.{ label: $lookup($c, key) }) } )" } } } } }
            """), default);
        Assert.Equal(OverrideOutcome.Saved, saved.Outcome);
        var connection = await engine.ConnectAsync(tenant, account, "peopleapi", "conn-1", ConnectionCredentials.Of(("token", PagedRecordsDouble.Token)));
        var (_, resolved) = await engine.Connections.FindAsync(tenant, "conn-1");

        var (records, failures) = await engine.Services.GetRequiredService<Engine.Execution.OperationExecutor>().ListAllAsync(resolved!.Provider, resolved.Engine, "people");

        Assert.Empty(failures);
        Assert.Equal(12, records.Count);
        Assert.Equal("pro", (string?)records[0].Data["custom_fields"]!["Plan"]);
        Assert.Equal("eu", (string?)records[0].Data["custom_fields"]!["Region"]);
        Assert.Single(people.Requests, r => r.PathAndQuery.StartsWith("/v2/fields", StringComparison.Ordinal)); // once per listing, not per page
        Assert.Equal(2, people.TotalPageRequests);
    }
}

public sealed class SqliteOverrideTests : OverrideSuite
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedSqliteAsync();
}

public sealed class PostgresOverrideTests : OverrideSuite, IRequiresPostgres
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.MigratedPostgresAsync();
}
