namespace IntegrationHealth.Demo.Tests;

/// <summary>A fact that needs the PostgreSQL test server (<c>INTEGRATIONHEALTH_TEST_PG</c>, printed by
/// <c>tests/postgres.sh env</c>). Skipped with the reason when it is not set, except on CI (<c>CI=true</c>), where it
/// runs and fails clearly.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "INTEGRATIONHEALTH_TEST_PG";

    public PostgresFactAttribute()
    {
        var isCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)) && !isCi)
        {
            Skip = $"{Variable} is not set; run `bash tests/postgres.sh start` and `eval \"export $(bash tests/postgres.sh env)\"`.";
        }
    }

    /// <summary>The admin connection string.</summary>
    public static string Admin => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{Variable} is not set (CI=true: PostgreSQL tests must run). Start one with tests/postgres.sh.");
}
