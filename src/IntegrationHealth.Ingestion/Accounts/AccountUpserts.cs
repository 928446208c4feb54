using IntegrationHealth.Data;
using IntegrationHealth.Data.Configuration;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Ingestion.Upserts;

namespace IntegrationHealth.Ingestion.Accounts;

/// <summary>A validated account item; <see cref="Index"/> is its position in the batch.</summary>
public sealed record AccountItem(
    int Index, string ExternalId, string Name, decimal Arr, AccountSegment Segment, string? Plan, int Seats, string? Csm,
    DateTime? CreatedAt, DateTime? ChurnedAt) : IUpsertItem;

/// <summary>
/// Bulk upsert of accounts by external id. The item is the account's full state: optional fields left out are reset to
/// their defaults, except <c>createdAt</c>, which keeps its stored value when omitted (and is "now" on insert).
/// </summary>
public static class AccountUpserts
{
    public static readonly string[] Fields = ["externalId", "name", "arr", "segment", "plan", "seats", "csm", "createdAt", "churnedAt"];

    public static readonly UpsertDefinition<AccountItem> Definition = new("account", Fields, Read, ApplyAsync);

    public static AccountItem? Read(ItemReader r, DateTime latestUtc)
    {
        var externalId = r.Identifier("externalId", required: true);
        var name = r.String("name", required: true, maxLength: StoreLengths.Name);
        var arr = r.Decimal("arr", 0m, 1_000_000_000_000m);
        var segment = r.Choice("segment", WireNames.Segments, WireNames.ParseSegment);
        var plan = r.String("plan", maxLength: StoreLengths.Code);
        var seats = r.Int("seats", 0, 10_000_000);
        var csm = r.String("csm");
        var createdAt = r.Instant("createdAt", latestUtc);
        var churnedAt = r.Instant("churnedAt", latestUtc);
        if (createdAt is { } c && churnedAt is { } ch && ch < c) r.Error("churnedAt", "'churnedAt' must not be before 'createdAt'.");
        if (externalId is null || name is null) return null;
        return new AccountItem(r.Index, externalId, name, arr ?? 0m, segment ?? AccountSegment.Smb, plan, seats ?? 0, csm, createdAt, churnedAt);
    }

    public static Task<UpsertOutcome> ApplyAsync(UpsertScope scope, IReadOnlyList<AccountItem> items, CancellationToken cancellationToken) =>
        BulkUpsert.SaveAsync(scope, items,
            item => new Account { ExternalId = item.ExternalId, Name = item.Name, CreatedAt = item.CreatedAt ?? scope.NowUtc },
            (account, item) =>
            {
                account.Name = item.Name;
                account.Arr = item.Arr;
                account.Segment = item.Segment;
                account.Plan = item.Plan;
                account.Seats = item.Seats;
                account.Csm = item.Csm;
                if (item.CreatedAt is { } createdAt) account.CreatedAt = createdAt;
                account.ChurnedAt = item.ChurnedAt;
            },
            cancellationToken);
}
