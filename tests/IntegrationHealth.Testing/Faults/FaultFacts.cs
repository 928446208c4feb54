using Xunit;

namespace IntegrationHealth.Testing.Faults;

/// <summary>A fact that needs a PostgreSQL cluster of its own (<see cref="PostgresCluster"/>): skipped with the reason
/// outside CI when the PostgreSQL binaries are missing; on CI it runs.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresClusterFactAttribute : FactAttribute
{
    public PostgresClusterFactAttribute() => Skip = PostgresCluster.SkipReason;
}

/// <summary>A fact that needs a real small filesystem (<see cref="SmallFilesystem"/>): skipped with the reason outside CI
/// when mounting is impossible here; on CI it runs.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SmallFilesystemFactAttribute : FactAttribute
{
    public SmallFilesystemFactAttribute() => Skip = SmallFilesystem.SkipReason;
}

/// <summary>A fact that needs both a PostgreSQL cluster of its own and a small filesystem (a tablespace on it).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresClusterAndSmallFilesystemFactAttribute : FactAttribute
{
    public PostgresClusterAndSmallFilesystemFactAttribute() => Skip = PostgresCluster.SkipReason ?? SmallFilesystem.SkipReason;
}
