using IntegrationHealth.Analytics.Scoring;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Tests.Scoring;

/// <summary>Hand-built evidence: day rollups with exactly the numbers a test says, as of <see cref="AsOf"/>.</summary>
internal static class HandBuiltWorld
{
    public static readonly DateTime AsOf = new(2026, 11, 30, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A day row <paramref name="daysBack"/> days before <see cref="AsOf"/> (1 = the day before).</summary>
    public static ConnectionRollup Day(int account, int daysBack, int requests = 200, int errors = 2, int provider = 1, int connection = 0,
        string resource = "contacts", int rateLimited = 0, int credentialFailures = 0, bool success = true, int syncRuns = 4, long records = 400,
        int emptySyncs = 0, int mappingFailures = 0, int timeouts = 0)
    {
        var start = AsOf.AddDays(-daysBack);
        return new ConnectionRollup
        {
            TenantId = 1, Grain = RollupGrain.Day, BucketStart = start, AccountId = account, ProviderId = provider,
            ConnectionId = connection == 0 ? account * 10 + provider : connection, Resource = resource, Requests = requests,
            Errors = errors + rateLimited + timeouts, RateLimited = rateLimited, Timeouts = timeouts, ServerErrors = errors,
            CredentialFailures = credentialFailures, SyncRuns = syncRuns, SyncRecords = records, EmptySyncs = emptySyncs,
            MappingFailures = mappingFailures,
            LastSyncWithRecordsAt = records > 0 && syncRuns > 0 ? start.AddHours(20) : null,
            LastSuccessAt = success ? start.AddHours(22) : null,
            LastFailureAt = errors + credentialFailures + rateLimited + timeouts > 0 ? start.AddHours(23) : null,
        };
    }

    /// <summary>35 normal days of one connection (records every day, 1% errors).</summary>
    public static IEnumerable<ConnectionRollup> Normal(int account, int provider = 1, int requests = 200, int errors = 2, int fromDay = 1) =>
        Enumerable.Range(fromDay, 36 - fromDay).Select(d => Day(account, d, requests, errors, provider));

    public static AccountEvidence Account(int id, IEnumerable<ConnectionRollup> rollups, int connections = 0) =>
        new() { AccountId = id, Name = "Account " + id, Arr = 10_000, Rollups = [.. rollups], Connections = connections };

    public static IReadOnlyList<Measure> Measures(AccountEvidence account, IEnumerable<AccountEvidence> everyone) =>
        MeasureExtractor.Extract(account, ProviderBaselines.From(everyone, AsOf, MeasureExtractor.Recent), AsOf, id => "Provider" + id);

    public static Measure Of(this IReadOnlyList<Measure> measures, MeasureGroup group) => measures.Single(m => m.Group == group);

    /// <summary>Healthy peers on provider 1 (so there is a baseline), 1% errors.</summary>
    public static List<AccountEvidence> Peers(int count = 5, int provider = 1, int errorsPerDay = 2) =>
        Enumerable.Range(100, count).Select(i => Account(i, Normal(i, provider, errors: errorsPerDay))).ToList();
}
