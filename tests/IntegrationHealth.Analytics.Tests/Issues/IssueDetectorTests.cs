using IntegrationHealth.Analytics.Issues;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Analytics.Tests.Issues;

public sealed class IssueDetectorTests
{
    private static readonly DateTime Now = new(2026, 11, 10, 12, 0, 0, DateTimeKind.Utc);
    private static readonly IssueOptions Options = new();

    private static ConnectionRollup Hour(int account, int hoursBack, int requests = 50, int errors = 0, int provider = 1, string resource = "contacts",
        int credential = 0, int forbidden = 0, int mapping = 0, int syncRuns = 0, long records = 0, int empty = 0, bool success = true)
    {
        var start = Now.AddHours(-hoursBack);
        return new ConnectionRollup
        {
            TenantId = 1, Grain = RollupGrain.Hour, BucketStart = start, AccountId = account, ProviderId = provider, ConnectionId = account * 10 + provider,
            Resource = resource, Requests = requests, Errors = errors, ServerErrors = errors, CredentialFailures = credential, Forbidden = forbidden,
            MappingFailures = mapping, SyncRuns = syncRuns, SyncRecords = records, EmptySyncs = empty,
            LastSuccessAt = success ? start.AddMinutes(10) : null, LastFailureAt = errors + credential + forbidden > 0 ? start.AddMinutes(20) : null,
        };
    }

    private static ConnectionRollup DayRow(int account, int daysBack, int syncRuns = 4, long records = 400, int provider = 1, string resource = "contacts") => new()
    {
        TenantId = 1, Grain = RollupGrain.Day, BucketStart = Now.Date.AddDays(-daysBack), AccountId = account, ProviderId = provider,
        ConnectionId = account * 10 + provider, Resource = resource, SyncRuns = syncRuns, SyncRecords = records, LastSuccessAt = Now.Date.AddDays(-daysBack).AddHours(3),
    };

    private static List<IssueFinding> Detect(IEnumerable<ConnectionRollup> hours, IEnumerable<ConnectionRollup>? days = null) =>
        IssueDetector.Detect(hours.ToList(), (days ?? []).ToList(), Now, Options, id => "P" + id);

    [Fact]
    public void Detect_CredentialFailuresAfterTheLastSuccess_IsRevokedCredentials_ButNotWhenItRecovered()
    {
        var broken = Detect([Hour(1, 5), Hour(1, 3, requests: 0, credential: 4, success: false)]);
        var recovered = Detect([Hour(1, 5, credential: 4, success: false), Hour(1, 3)]);

        var f = Assert.Single(broken);
        Assert.Equal((IssueKind.CredentialsRevoked, 4), (f.Kind, f.Occurrences));
        Assert.Empty(recovered);
    }

    [Fact]
    public void Detect_SustainedErrorsOnOneAccount_IsSustainedErrors_TheSameOnManyAccountsIsProviderOffline()
    {
        var one = Detect(Enumerable.Range(1, 4).Select(h => Hour(1, h, errors: 30)).Concat(Enumerable.Range(1, 4).Select(h => Hour(2, h))));
        var many = Detect(Enumerable.Range(1, 5).SelectMany(a => Enumerable.Range(1, 4).Select(h => Hour(a, h, errors: 40))));

        var f = Assert.Single(one);
        Assert.Equal((IssueKind.SustainedErrors, "contacts", 1), (f.Kind, f.Resource, f.AccountId));
        Assert.Contains("120 of 200 requests failed in 4 bad hours", f.Summary);
        Assert.Equal(5, many.Count);
        Assert.All(many, m => Assert.Equal(IssueKind.ProviderOffline, m.Kind));
    }

    [Fact]
    public void Detect_ForbiddenAndMappingFailures_AreTheirOwnKinds()
    {
        var found = Detect([Hour(1, 2, forbidden: 5, errors: 5, resource: "users"), Hour(1, 1, mapping: 9, resource: "deals")]);

        Assert.Contains(found, f => f.Kind == IssueKind.MissingPermission && f.Resource == "users");
        Assert.Contains(found, f => f.Kind == IssueKind.MappingFailures && f.Resource == "deals" && f.Occurrences == 9);
    }

    [Fact]
    public void Detect_SyncsThatStopped_OrRunEmptyWhereRecordsWereUsual_AreStalledAndEmpty()
    {
        var usual = Enumerable.Range(3, 7).SelectMany(d => new[] { DayRow(1, d), DayRow(2, d) });
        var hours = Enumerable.Range(1, 40).SelectMany(h => new[] { Hour(1, h), Hour(2, h, syncRuns: h % 6 == 0 ? 1 : 0, empty: h % 6 == 0 ? 1 : 0) });

        var found = Detect(hours, usual);

        Assert.Contains(found, f => f.AccountId == 1 && f.Kind == IssueKind.StalledSync);
        var empty = Assert.Single(found, f => f.AccountId == 2);
        Assert.Equal(IssueKind.EmptySync, empty.Kind);
        Assert.Contains("usually 100 per run", empty.Summary);
    }
}
