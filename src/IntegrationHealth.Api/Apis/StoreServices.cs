using System.Buffers.Text;
using System.Globalization;
using System.Text;
using IntegrationHealth.Api.Auth;
using IntegrationHealth.Api.Contracts;
using IntegrationHealth.Api.Ingestion;
using IntegrationHealth.Api.Upserts;
using IntegrationHealth.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Api.Apis;

/// <summary>Services the read and upsert endpoints share, bound with <c>[AsParameters]</c>.</summary>
public sealed class StoreServices(
    IDbContextFactory<IntegrationHealthDbContext> dbFactory,
    ProviderCatalog providers,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<StoreServices> logger)
{
    public IDbContextFactory<IntegrationHealthDbContext> DbFactory { get; } = dbFactory;
    public ProviderCatalog Providers { get; } = providers;
    public IOptions<IngestionOptions> Options { get; } = options;
    public TimeProvider Time { get; } = time;
    public ILogger<StoreServices> Logger { get; } = logger;

    /// <summary>The configured limits.</summary>
    public IngestionOptions Limits => Options.Value;

    /// <summary>Latest instant a client-supplied timestamp may carry.</summary>
    public DateTime LatestAcceptedUtc => Time.GetUtcNow().UtcDateTime + Limits.MaxFutureSkew;

    /// <summary>The shared shape of every bulk upsert endpoint: read strictly, then apply in one transaction.</summary>
    public async Task<Results<Ok<UpsertResult>, ProblemHttpResult>> UpsertAsync<T>(
        HttpContext context, string what, string[] fields, Func<ItemReader, DateTime, T?> read, Func<T, string> externalId,
        Func<IntegrationHealthDbContext, int, IReadOnlyList<T>, BatchErrors, CancellationToken, Task<UpsertOutcome>> apply)
        where T : class
    {
        var tenantId = context.User.GetTenantId();
        var latest = LatestAcceptedUtc;
        var request = await UpsertRequest.ReadAsync(context, Limits, what, fields, r => read(r, latest), externalId);
        if (request.Problem is { } problem)
        {
            LogMessages.BatchRejected(Logger, tenantId, 0, what + "s", 1);
            return problem;
        }
        var items = request.Items!;
        if (items.Count == 0) return TypedResults.Ok(new UpsertResult(0, 0));

        var outcome = await UpsertRunner.RunAsync(DbFactory, Logger, what,
            (db, ct) => apply(db, tenantId, items, new BatchErrors(Limits.MaxReportedErrors), ct), context.RequestAborted);
        if (outcome.Errors is { Any: true } errors)
        {
            LogMessages.BatchRejected(Logger, tenantId, items.Count, what + "s", errors.Count);
            return Problems.InvalidBatch(errors, what);
        }
        var result = outcome.Result!;
        LogMessages.Upserted(Logger, tenantId, what + "s", result.Inserted, result.Updated);
        return TypedResults.Ok(result);
    }
}

/// <summary>Keyset paging over integer row ids with an opaque cursor.</summary>
public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Checks <paramref name="limit"/> and decodes <paramref name="cursor"/> (the last id of the previous page).</summary>
    public static ProblemHttpResult? TryParse(int? limit, string? cursor, out int take, out int afterId)
    {
        take = limit ?? DefaultLimit;
        afterId = 0;
        if (take is < 1 or > MaxLimit) return Problems.BadRequest($"'limit' must be from 1 to {MaxLimit}.");
        if (string.IsNullOrEmpty(cursor)) return null;
        var invalid = Problems.BadRequest("'cursor' is not a cursor this API returned.");
        if (cursor.Length > 40 || !cursor.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return invalid;
        Span<byte> bytes = stackalloc byte[32];
        try
        {
            if (!Base64Url.TryDecodeFromChars(cursor, bytes, out var written)
                || !int.TryParse(Encoding.ASCII.GetString(bytes[..written]), NumberStyles.None, CultureInfo.InvariantCulture, out afterId))
                return invalid;
        }
        catch (FormatException)
        {
            return invalid; // e.g. a length no base64url text can have
        }
        return null;
    }

    /// <summary>The cursor for the page after the one ending at <paramref name="lastId"/>, or null when this was the last page.</summary>
    public static string? Next(bool more, int lastId) =>
        more ? Base64Url.EncodeToString(Encoding.ASCII.GetBytes(lastId.ToString(CultureInfo.InvariantCulture))) : null;

    /// <summary>Stored instants are UTC; SQLite hands them back unspecified, so say so before serialising.</summary>
    public static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    public static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
