using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IntegrationHealth.Data.Sqlite;

/// <summary>Stores a UTC instant as INTEGER ticks on SQLite, so range predicates compare integers and rows stay small.
/// Local times are converted to UTC; unspecified kinds are taken as UTC (the store's convention).</summary>
public sealed class SqliteUtcTicksConverter : ValueConverter<DateTime, long>
{
    /// <summary>The shared instance.</summary>
    public static readonly SqliteUtcTicksConverter Instance = new();

    public SqliteUtcTicksConverter()
        : base(v => ToUtcTicks(v), v => new DateTime(v, DateTimeKind.Utc))
    {
    }

    /// <summary>UTC ticks of <paramref name="value"/> (local times are converted, unspecified taken as UTC).</summary>
    public static long ToUtcTicks(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime().Ticks : value.Ticks;
}
