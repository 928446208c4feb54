using IntegrationHealth.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Demo.Tests;

/// <summary>A migrated SQLite store in a temporary folder, registered through the real <c>AddIntegrationHealthStore</c>.</summary>
internal sealed class TempSqliteStore : IAsyncDisposable
{
    private readonly string _directory;

    private TempSqliteStore(string directory, ServiceProvider services, string connectionString)
    {
        _directory = directory;
        Services = services;
        ConnectionString = connectionString;
    }

    public ServiceProvider Services { get; }

    public string ConnectionString { get; }

    public static async Task<TempSqliteStore> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ih-demo-tests-" + Path.GetRandomFileName());
        Directory.CreateDirectory(directory);
        var connectionString = $"Data Source={Path.Combine(directory, "store.db")}";
        var services = new ServiceCollection()
            .AddIntegrationHealthStore(new DatabaseOptions { Provider = "sqlite", ConnectionString = connectionString })
            .BuildServiceProvider();
        await StoreMigrator.MigrateAsync(services);
        return new TempSqliteStore(directory, services, connectionString);
    }

    /// <summary>Every row of every application table, in key order, as text: equal dumps mean byte-identical data.</summary>
    public List<string> Dump()
    {
        using var connection = new SqliteConnection(ConnectionString);
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
            while (reader.Read())
            {
                reader.GetValues(values);
                rows.Add(table + "|" + string.Join('|', values.Select(v => v is byte[] b ? Convert.ToHexString(b) : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
            }
        }
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
