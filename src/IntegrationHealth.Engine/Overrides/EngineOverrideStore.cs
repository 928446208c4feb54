using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Engine.Definitions;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Overrides;

/// <summary>An override as stored: its level, version and document (null once deleted).</summary>
/// <remarks>A deleted override has no current document: reading it is 404, its history shows the deletion with a JSON null.</remarks>
public sealed record EngineOverrideView(string Provider, string Level, string? Account, int Version, JsonElement Document, DateTime UpdatedAt);

/// <summary>One version of an override's history.</summary>
/// <param name="Document">The version's document; JSON null for a deletion.</param>
public sealed record EngineOverrideVersionView(int Version, string Change, int? RestoredVersion, JsonElement Document, DateTime CreatedAt);

/// <summary>What a change to an override came to.</summary>
public enum OverrideOutcome
{
    Saved,
    /// <summary>The merged definition (or one that builds on it) does not load; see the errors.</summary>
    Invalid,
    /// <summary>There is nothing to delete, or no such version to roll back to.</summary>
    NotFound,
    /// <summary>Another change of the same override was committed first.</summary>
    Conflict,
}

/// <summary>
/// Saves the tenant's environment and account overrides of a provider definition, each change a new version. A change is
/// accepted only when every definition it affects still loads: the account's own merge (base, environment, account),
/// and for an environment change every account override of the provider merged over it; so a bad JSONata expression is
/// refused at save with its JSONPath, code and position, and nothing is stored. Every change increments the tenant's
/// configuration counter in the same transaction (<see cref="TenantProviderRegistry"/>).
/// </summary>
public sealed class EngineOverrideStore(
    IDbContextFactory<IntegrationHealthDbContext> dbFactory,
    TenantProviderRegistry registry,
    ProviderDefinitionLoader loader,
    TimeProvider time,
    ILogger<EngineOverrideStore> logger)
{
    /// <summary>The members an override may set: everything about resources (mappings, query translations, bodies, the
    /// target path, pagination, pre-steps), and the rate-limit section (an account's own request budget, or header names
    /// fixed). Not the base URL or auth: where a connection's credential goes is not an override's to change.</summary>
    public static readonly IReadOnlySet<string> OverridableMembers = new HashSet<string>(StringComparer.Ordinal) { "resources", "rate_limit" };

    public static string ScopeOf(int? accountId) => accountId is { } id ? $"account/{id}" : "environment";

    /// <summary>Checks the shape of an override document: a JSON object of overridable members.</summary>
    public static IReadOnlyList<DefinitionError> CheckShape(JsonNode? document)
    {
        if (document is not JsonObject o) return [new DefinitionError(JsonPathText.Root, "An override is a JSON object (a partial provider definition).")];
        return [.. o.Where(p => !OverridableMembers.Contains(p.Key)).Select(p => new DefinitionError(JsonPathText.Member(JsonPathText.Root, p.Key),
            $"An override may set only {string.Join(", ", OverridableMembers.Select(m => $"'{m}'"))}; '{p.Key}' stays as the definition has it."))];
    }

    public async Task<EngineOverrideView?> GetAsync(int tenantId, string key, int? accountId, string? account, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var scope = ScopeOf(accountId);
        var row = await db.EngineOverrides.AsNoTracking().FirstOrDefaultAsync(o => o.TenantId == tenantId && o.ProviderKey == key && o.Scope == scope, cancellationToken);
        return row is null || row.Document is null ? null : View(row, account);
    }

    public async Task<IReadOnlyList<EngineOverrideVersionView>?> HistoryAsync(int tenantId, string key, int? accountId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var scope = ScopeOf(accountId);
        var row = await db.EngineOverrides.AsNoTracking().FirstOrDefaultAsync(o => o.TenantId == tenantId && o.ProviderKey == key && o.Scope == scope, cancellationToken);
        if (row is null) return null;
        var versions = await db.EngineOverrideVersions.AsNoTracking().Where(v => v.OverrideId == row.Id && v.TenantId == tenantId)
            .OrderByDescending(v => v.Version).ToListAsync(cancellationToken);
        return [.. versions.Select(v => new EngineOverrideVersionView(v.Version, v.Change, v.RestoredVersion, Element(v.Document),
            DateTime.SpecifyKind(v.CreatedAt, DateTimeKind.Utc)))];
    }

    /// <summary>Saves <paramref name="document"/> (null: deletes) as the next version of the override.</summary>
    public Task<(OverrideOutcome Outcome, EngineOverrideView? View, IReadOnlyList<DefinitionError> Errors)> SaveAsync(int tenantId, string key,
        int? accountId, string? account, JsonObject? document, CancellationToken cancellationToken) =>
        ChangeAsync(tenantId, key, accountId, account, document is null ? "delete" : "save", null, _ => (true, document), cancellationToken);

    /// <summary>Makes version <paramref name="version"/>'s document (or deletion) the current one, as a new version.</summary>
    public Task<(OverrideOutcome Outcome, EngineOverrideView? View, IReadOnlyList<DefinitionError> Errors)> RollbackAsync(int tenantId, string key,
        int? accountId, string? account, int version, CancellationToken cancellationToken) =>
        ChangeAsync(tenantId, key, accountId, account, "rollback", version, versions =>
        {
            var found = versions.FirstOrDefault(v => v.Version == version);
            return found is null ? (false, null) : (true, found.Document is null ? null : TenantProviderRegistry.Parse(found.Document));
        }, cancellationToken);

    private async Task<(OverrideOutcome, EngineOverrideView?, IReadOnlyList<DefinitionError>)> ChangeAsync(int tenantId, string key, int? accountId,
        string? account, string change, int? restored, Func<List<EngineOverrideVersion>, (bool Found, JsonObject? Document)> pick,
        CancellationToken cancellationToken)
    {
        if (await registry.FindBaseAsync(tenantId, key, cancellationToken) is not { } found) return (OverrideOutcome.NotFound, null, []);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var scope = ScopeOf(accountId);
        var row = await db.EngineOverrides.FirstOrDefaultAsync(o => o.TenantId == tenantId && o.ProviderKey == key && o.Scope == scope, cancellationToken);
        var versions = row is null ? [] : await db.EngineOverrideVersions.Where(v => v.OverrideId == row.Id).ToListAsync(cancellationToken);
        var (exists, document) = pick(versions);
        if (!exists || (change == "delete" && row?.Document is null)) return (OverrideOutcome.NotFound, null, []);

        var errors = await CheckAsync(db, tenantId, key, found.Provider, accountId, document, cancellationToken);
        if (errors.Count > 0) return (OverrideOutcome.Invalid, null, errors);

        var now = time.GetUtcNow().UtcDateTime;
        if (row is null)
        {
            row = new EngineOverride { TenantId = tenantId, ProviderKey = key, AccountId = accountId, Scope = scope };
            db.EngineOverrides.Add(row);
        }
        row.Version++;
        row.Document = document?.ToJsonString();
        row.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            db.EngineOverrideVersions.Add(new EngineOverrideVersion
            {
                TenantId = tenantId, OverrideId = row.Id, Version = row.Version, Document = row.Document, Change = change,
                RestoredVersion = restored, CreatedAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            await EngineRequestBodies.BumpConfigVersionAsync(db, tenantId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return (OverrideOutcome.Conflict, null, []);
        }
        registry.Invalidate(tenantId);
        EngineLog.OverrideChanged(logger, tenantId, key, scope, row.Version, change);
        return (OverrideOutcome.Saved, View(row, account), []);
    }

    /// <summary>Every error of the definitions the change affects; the account's or each account's errors are prefixed
    /// with its id so the caller knows which merge failed.</summary>
    private async Task<IReadOnlyList<DefinitionError>> CheckAsync(IntegrationHealthDbContext db, int tenantId, string key, LoadedProvider baseProvider,
        int? accountId, JsonObject? document, CancellationToken cancellationToken)
    {
        if (document is not null && CheckShape(document) is { Count: > 0 } shape) return shape;
        var others = await db.EngineOverrides.AsNoTracking()
            .Where(o => o.TenantId == tenantId && o.ProviderKey == key && o.Document != null).ToListAsync(cancellationToken);
        var baseDocument = TenantProviderRegistry.Parse(baseProvider.Json);
        var errors = new List<DefinitionError>();
        if (accountId is not null)
        {
            var environment = others.FirstOrDefault(o => o.AccountId == null)?.Document;
            errors.AddRange(Load(baseDocument, environment is null ? null : TenantProviderRegistry.Parse(environment), document));
            return errors;
        }
        errors.AddRange(Load(baseDocument, document, null));
        if (errors.Count > 0) return errors;
        foreach (var other in others.Where(o => o.AccountId != null))
        {
            var accountErrors = Load(baseDocument, document, TenantProviderRegistry.Parse(other.Document!));
            errors.AddRange(accountErrors.Select(e => e with { Message = $"with the override of account id {other.AccountId}: {e.Message}" }));
        }
        return errors;
    }

    private IReadOnlyList<DefinitionError> Load(JsonObject baseDocument, JsonObject? environment, JsonObject? account)
    {
        var (merged, _) = DefinitionMerge.Merge(baseDocument, DefinitionLevels.Platform,
            (environment, DefinitionLevels.Environment), (account, DefinitionLevels.Account));
        var (_, errors) = loader.TryLoad(merged.ToJsonString());
        return errors;
    }

    private static EngineOverrideView View(EngineOverride row, string? account) =>
        new(row.ProviderKey, row.AccountId is null ? DefinitionLevels.Environment : DefinitionLevels.Account, account, row.Version,
            Element(row.Document), DateTime.SpecifyKind(row.UpdatedAt, DateTimeKind.Utc));

    private static JsonElement Element(string? json) => JsonDocument.Parse(json ?? "null").RootElement.Clone();
}
