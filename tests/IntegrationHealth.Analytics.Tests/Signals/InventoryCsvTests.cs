using IntegrationHealth.Analytics.Migration;

namespace IntegrationHealth.Analytics.Tests.Signals;

public sealed class InventoryCsvTests
{
    private static InventoryRow Row(string id, decimal arr, string customer = "Acme", string? notes = null) =>
        new(id, customer, arr, MigrationTier.Guided, "salesforce", "acme-admin@example.com", "oauth2", 3, 12, true, 1,
            new DateTime(2026, 11, 9, 8, 30, 0, DateTimeKind.Utc), "not started", "dana", notes);

    [Fact]
    public void Write_HeaderAndRowsSortedByArrDescending_WithCrlf()
    {
        var csv = InventoryCsv.Write([Row("a-small", 1_000), Row("a-big", 250_000), Row("a-mid", 50_000)]);
        var lines = csv.Split("\r\n");
        Assert.Equal("account id,customer,ARR,tier,provider,OAuth app owner,auth type,active flows,custom fields,bidirectional,webhook consumers,last sync,migration status,CSM,notes", lines[0]);
        Assert.StartsWith("a-big,", lines[1]);
        Assert.StartsWith("a-mid,", lines[2]);
        Assert.StartsWith("a-small,", lines[3]);
        Assert.Equal("a-big,Acme,250000.00,Tier 2,salesforce,acme-admin@example.com,oauth2,3,12,yes,1,2026-11-09T08:30:00Z,not started,dana,", lines[1]);
        Assert.Equal("", lines[^1]); // every record ends with CRLF
    }

    [Fact]
    public void Cell_QuotesCommasQuotesAndNewlines_PerRfc4180()
    {
        Assert.Equal("\"Acme, Inc.\"", InventoryCsv.Cell("Acme, Inc."));
        Assert.Equal("\"say \"\"hi\"\"\"", InventoryCsv.Cell("say \"hi\""));
        Assert.Equal("\"two\nlines\"", InventoryCsv.Cell("two\nlines"));
        Assert.Equal("plain", InventoryCsv.Cell("plain"));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    public void Cell_FormulaLikeText_IsDefused(string value, string expected) =>
        Assert.Equal(expected, InventoryCsv.Cell(value));

    [Fact]
    public void Write_HostileCustomerName_CannotBecomeAFormula()
    {
        var csv = InventoryCsv.Write([Row("a", 1, customer: "=cmd|'/c calc'!A0")]);
        Assert.Contains(",'=cmd|'/c calc'!A0,", csv);
    }
}
