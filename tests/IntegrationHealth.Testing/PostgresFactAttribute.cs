using Xunit;

namespace IntegrationHealth.Testing;

/// <summary>A fact that needs the PostgreSQL test server (<see cref="TestServers.PostgresVariable"/>): skipped with
/// <see cref="TestServers.PostgresSkipReason"/> when none is configured, except on CI (<c>CI=true</c>), where it runs
/// and fails clearly.</summary>
/// <remarks>For a suite shared by SQLite and PostgreSQL, where only some concrete classes need the server, use
/// <see cref="StoreFactAttribute"/> instead.</remarks>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    /// <summary>Marks the method as a fact that is skipped when no PostgreSQL test server is configured.</summary>
    public PostgresFactAttribute() => Skip = TestServers.PostgresSkipReason;
}

/// <summary>A theory that needs the PostgreSQL test server: skipped, or failing on CI, exactly like
/// <see cref="PostgresFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    /// <summary>Marks the method as a theory that is skipped when no PostgreSQL test server is configured.</summary>
    public PostgresTheoryAttribute() => Skip = TestServers.PostgresSkipReason;
}
