using Microsoft.Extensions.Configuration;

namespace IntegrationHealth.Data.Tests.Store;

public sealed class DatabaseOptionsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void FromConfiguration_EmptySection_DefaultsToSqliteFile()
    {
        var options = DatabaseOptions.FromConfiguration(Config());

        Assert.Equal(StoreProvider.Sqlite, options.StoreProvider);
        Assert.Equal("Data Source=./data/integrationhealth.db", options.EffectiveConnectionString);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("PostgreSQL")]
    [InlineData(" npgsql ")]
    public void FromConfiguration_PostgresSpellings_SelectPostgres(string name)
    {
        var options = DatabaseOptions.FromConfiguration(Config(("Database:Provider", name), ("Database:ConnectionString", "Host=db")));

        Assert.Equal(StoreProvider.Postgres, options.StoreProvider);
        Assert.Equal("Host=db", options.EffectiveConnectionString);
    }

    [Fact]
    public void StoreProvider_UnknownName_ThrowsNamingTheValueAndTheChoices()
    {
        var options = new DatabaseOptions { Provider = "mysql" };

        var error = Assert.Throws<InvalidOperationException>(() => options.StoreProvider);

        Assert.Contains("'mysql'", error.Message);
        Assert.Contains("sqlite", error.Message);
        Assert.Contains("postgres", error.Message);
    }

    [Fact]
    public void EffectiveConnectionString_PostgresWithoutConnectionString_ThrowsClearError()
    {
        var options = new DatabaseOptions { Provider = "postgres" };

        var error = Assert.Throws<InvalidOperationException>(() => options.EffectiveConnectionString);

        Assert.Contains("Database:ConnectionString", error.Message);
    }

    [Theory]
    [InlineData(null, PostgresWriteMode.Copy)]
    [InlineData("", PostgresWriteMode.Copy)]
    [InlineData(" Copy ", PostgresWriteMode.Copy)]
    [InlineData("unnest", PostgresWriteMode.Unnest)]
    public void FromConfiguration_PostgresWriteMode_ParsesOrDefaultsToCopy(string? name, PostgresWriteMode expected)
    {
        var options = DatabaseOptions.FromConfiguration(Config(("Database:PostgresWriteMode", name)));

        Assert.Equal(expected, options.PostgresWriteMode);
    }

    [Fact]
    public void FromConfiguration_UnknownPostgresWriteMode_ThrowsNamingTheValueAndTheChoices()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => DatabaseOptions.FromConfiguration(Config(("Database:PostgresWriteMode", "bulk"))));

        Assert.Contains("'bulk'", error.Message);
        Assert.Contains("copy", error.Message);
        Assert.Contains("unnest", error.Message);
    }
}
