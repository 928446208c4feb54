using System.Globalization;
using System.Text;

namespace IntegrationHealth.Analytics.Migration;

/// <summary>One line of the pre-migration inventory: one connection of one account.</summary>
public sealed record InventoryRow(string AccountId, string Customer, decimal Arr, MigrationTier Tier, string Provider, string? OAuthAppOwner,
    string AuthType, int ActiveFlows, int CustomFields, bool Bidirectional, int WebhookConsumers, DateTime? LastSync, string MigrationStatus,
    string? Csm, string? Notes);

/// <summary>
/// The playbook's pre-migration inventory as CSV (RFC 4180: comma-separated, CRLF line ends, a field quoted when it
/// holds a comma, quote, CR or LF, quotes doubled), sorted by ARR descending. Cells a spreadsheet would run as a
/// formula (starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR: OWASP's CSV injection list) get a
/// leading apostrophe; numbers we write ourselves are never negative, so they are left alone.
/// </summary>
public static class InventoryCsv
{
    public static readonly string[] Columns =
    [
        "account id", "customer", "ARR", "tier", "provider", "OAuth app owner", "auth type", "active flows", "custom fields",
        "bidirectional", "webhook consumers", "last sync", "migration status", "CSM", "notes",
    ];

    public static string Write(IEnumerable<InventoryRow> rows)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', Columns.Select(Cell))).Append("\r\n");
        foreach (var r in rows.OrderByDescending(r => r.Arr).ThenBy(r => r.AccountId, StringComparer.Ordinal).ThenBy(r => r.Provider, StringComparer.Ordinal))
        {
            string[] cells =
            [
                Cell(r.AccountId), Cell(r.Customer), r.Arr.ToString("0.00", CultureInfo.InvariantCulture), $"Tier {(int)r.Tier}", Cell(r.Provider),
                Cell(r.OAuthAppOwner ?? ""), Cell(r.AuthType), Num(r.ActiveFlows), Num(r.CustomFields), r.Bidirectional ? "yes" : "no",
                Num(r.WebhookConsumers), r.LastSync is { } s ? s.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "",
                Cell(r.MigrationStatus), Cell(r.Csm ?? ""), Cell(r.Notes ?? ""),
            ];
            csv.Append(string.Join(',', cells)).Append("\r\n");
        }
        return csv.ToString();
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>One text cell: defused if a spreadsheet would evaluate it, then quoted if RFC 4180 needs it.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
