using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Data.Tests.Store;

public sealed class DatabaseOptionsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    /// <summary>The options as the store registration binds and validates them from configuration.</summary>
    private static DatabaseOptions Bound(IConfiguration configuration)
    {
        using var services = new ServiceCollection().AddIntegrationHealthStore(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
    }

    [Fact]
    public void Bind_EmptySection_DefaultsToSqliteFile()
    {
        var options = Bound(Config());

        Assert.Equal(StoreProvider.Sqlite, options.StoreProvider);
        Assert.Equal("Data Source=./data/integrationhealth.db", options.EffectiveConnectionString);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("PostgreSQL")]
    [InlineData(" npgsql ")]
    public void Bind_PostgresSpellings_SelectPostgres(string name)
    {
        var options = Bound(Config(("Database:Provider", name), ("Database:ConnectionString", "Host=db")));

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
    [InlineData("copy", PostgresWriteMode.Copy)]
    [InlineData("Copy", PostgresWriteMode.Copy)]
    [InlineData("unnest", PostgresWriteMode.Unnest)]
    public void Bind_PostgresWriteMode_ParsesOrDefaultsToCopy(string? name, PostgresWriteMode expected)
    {
        var options = Bound(Config(("Database:PostgresWriteMode", name)));

        Assert.Equal(expected, options.PostgresWriteMode);
    }

    [Fact]
    public void Bind_UnknownPostgresWriteMode_ThrowsNamingTheSettingAndTheValue()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bound(Config(("Database:PostgresWriteMode", "bulk"))));

        Assert.Contains("'bulk'", error.Message);
        Assert.Contains("Database:PostgresWriteMode", error.Message);
    }

    [Fact]
    public void Bind_MigrateOnStartup_DefaultsToTrueAndCanBeTurnedOff()
    {
        Assert.True(Bound(Config()).MigrateOnStartup);
        Assert.False(Bound(Config(("Database:MigrateOnStartup", "false"))).MigrateOnStartup);
    }

    [Theory]
    [InlineData("oracle", "x", "'oracle'")]
    [InlineData("postgres", null, "Database:ConnectionString")]
    public void Validator_BadSettings_FailNamingTheProblem(string provider, string? connectionString, string expected)
    {
        var result = new DatabaseOptionsValidator().Validate(null, new DatabaseOptions { Provider = provider, ConnectionString = connectionString });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
    }

    [Fact]
    public void Bind_TelemetryWindowAndRetention_DefaultToThreeAndNinetyDays()
    {
        var options = Bound(Config(("Database:TelemetryRetentionDays", "30")));

        Assert.Equal(3, options.TelemetryDedupWindowDays);
        Assert.Equal(30, options.TelemetryRetentionDays);
        Assert.Equal(90, Bound(Config()).TelemetryRetentionDays);
        Assert.False(new DatabaseOptionsValidator().Validate(null, options).Failed);
    }

    [Theory]
    [InlineData(1, 90, "Database:TelemetryDedupWindowDays must be at least 2")]
    [InlineData(0, 90, "Database:TelemetryDedupWindowDays")]
    [InlineData(10, 7, "at most Database:TelemetryRetentionDays (7)")]
    [InlineData(3, 0, "Database:TelemetryRetentionDays must be between 1")]
    public void Validator_WindowShorterThanTheLatenessOrLongerThanRetention_Fails(int window, int retention, string expected)
    {
        var result = new DatabaseOptionsValidator().Validate(null,
            new DatabaseOptions { TelemetryDedupWindowDays = window, TelemetryRetentionDays = retention });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
    }
}
