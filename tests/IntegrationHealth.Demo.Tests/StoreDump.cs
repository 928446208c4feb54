using System.Globalization;
using Microsoft.Data.Sqlite;

namespace IntegrationHealth.Demo.Tests;

/// <summary>Reads a whole SQLite store back, to compare what two seeding runs wrote.</summary>
internal static class StoreDump
{
    /// <summary>Every row of every application table, in key order, as text: equal dumps mean byte-identical data. The
    /// one column left out is <c>received_at</c>, when the store accepted a telemetry row: the store's own clock, not
    /// data the seeder chose.</summary>
    public static List<string> Dump(this SqliteTestDatabase store)
    {
        using var connection = new SqliteConnection(store.ConnectionString);
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' " +
                               "AND name <> '__EFMigrationsHistory' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }
        var rows = new List<string>();
        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1";
            using var reader = select.ExecuteReader();
            var values = new object[reader.FieldCount];
            var kept = Enumerable.Range(0, reader.FieldCount).Where(i => reader.GetName(i) != "received_at").ToArray();
            while (reader.Read())
            {
                reader.GetValues(values);
                rows.Add(table + "|" + string.Join('|', kept.Select(i => values[i] is byte[] b ? Convert.ToHexString(b) : Convert.ToString(values[i], CultureInfo.InvariantCulture))));
            }
        }
        return rows;
    }
}
