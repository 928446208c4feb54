using System.Buffers.Text;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Web.Http;

/// <summary>One page of a list; pass <see cref="NextCursor"/> as <c>?cursor=</c> for the next, null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>A checked page request: at most <see cref="Take"/> rows whose id is greater than <see cref="AfterId"/>.</summary>
public readonly record struct PageRequest(int Take, int AfterId);

/// <summary>
/// Keyset paging over integer row ids with an opaque cursor, shared by every list endpoint: parse <c>limit</c> and
/// <c>cursor</c> once (<see cref="TryParse"/>), then read the page with <see cref="ToPageAsync{TRow, TView}"/>, which
/// filters past the cursor, orders by id and reads one row more than asked to know whether another page follows.
/// Keyset (not offset) paging costs the same on the last page as on the first, and never skips or repeats a row when
/// rows are inserted meanwhile.
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Checks <paramref name="limit"/> and decodes <paramref name="cursor"/> (the last id of the previous page).</summary>
    public static ProblemHttpResult? TryParse(int? limit, string? cursor, out PageRequest page)
    {
        var take = limit ?? DefaultLimit;
        page = new PageRequest(take, 0);
        if (take is < 1 or > MaxLimit) return Problems.BadRequest($"'limit' must be from 1 to {MaxLimit}.", field: "limit");
        if (string.IsNullOrEmpty(cursor)) return null;
        var invalid = Problems.BadRequest("'cursor' is not a cursor this API returned.", field: "cursor");
        if (cursor.Length > 40 || !cursor.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return invalid;
        Span<byte> bytes = stackalloc byte[32];
        try
        {
            if (!Base64Url.TryDecodeFromChars(cursor, bytes, out var written)
                || !int.TryParse(Encoding.ASCII.GetString(bytes[..written]), NumberStyles.None, CultureInfo.InvariantCulture, out var afterId))
                return invalid;
            page = new PageRequest(take, afterId);
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

    /// <summary>
    /// Reads the page <paramref name="page"/> of <paramref name="query"/> (already filtered to the caller's rows) in the
    /// order of <paramref name="id"/>, and maps each row with <paramref name="view"/>.
    /// </summary>
    public static async Task<Page<TView>> ToPageAsync<TRow, TView>(
        this IQueryable<TRow> query, PageRequest page, Expression<Func<TRow, int>> id, Func<TRow, TView> view,
        CancellationToken cancellationToken)
    {
        // "id > afterId" built over the caller's selector; the bound is a captured value, so EF sends it as a parameter
        // and caches one plan for every page.
        var after = new Bound(page.AfterId);
        var pastCursor = Expression.Lambda<Func<TRow, bool>>(
            Expression.GreaterThan(id.Body, Expression.Property(Expression.Constant(after), nameof(Bound.Value))), id.Parameters);
        var rows = await query.Where(pastCursor).OrderBy(id).Take(page.Take + 1).ToListAsync(cancellationToken);
        var more = rows.Count > page.Take;
        if (more) rows.RemoveAt(rows.Count - 1);
        var lastId = rows.Count > 0 ? id.Compile(preferInterpretation: true)(rows[^1]) : 0;
        return new Page<TView>([.. rows.Select(view)], Next(more, lastId));
    }

    private sealed class Bound(int value)
    {
        public int Value { get; } = value;
    }
}

/// <summary>Stored instants are UTC; SQLite hands them back unspecified, so say so before serialising.</summary>
public static class StoredInstant
{
    public static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    public static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
