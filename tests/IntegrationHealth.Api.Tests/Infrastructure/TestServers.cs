using Xunit.Abstractions;
using Xunit.Sdk;

namespace IntegrationHealth.Api.Tests.Infrastructure;

/// <summary>Owns the connection strings of the real servers the API tests use (same variable as the store tests).</summary>
public static class TestServers
{
    /// <summary>PostgreSQL admin connection string, e.g. <c>Host=127.0.0.1;Port=55432;Username=postgres</c>
    /// (<c>bash tests/postgres.sh env</c> prints it).</summary>
    public const string PostgresVariable = "INTEGRATIONHEALTH_TEST_PG";

    public static string? PostgresAdmin =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : null;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why PostgreSQL tests are skipped here, or null when they run. Never skipped on CI: there they fail.</summary>
    public static string? PostgresSkipReason => PostgresAdmin is null && !IsCi
        ? $"PostgreSQL API tests skipped: {PostgresVariable} is not set. Run `bash tests/postgres.sh start` and " +
          $"`eval \"export $(bash tests/postgres.sh env)\"` to run them (with CI=true they fail instead)."
        : null;

    public static string RequirePostgresAdmin() => PostgresAdmin ?? throw new InvalidOperationException(
        $"PostgreSQL API tests need {PostgresVariable}; it is not set" + (IsCi ? " and CI=true, so they fail rather than skip." : "."));
}

/// <summary>Marks a test class that needs the PostgreSQL test server.</summary>
public interface IRequiresPostgres;

/// <summary>A fact that is skipped (with the reason) in <see cref="IRequiresPostgres"/> classes when no server is configured.</summary>
[XunitTestCaseDiscoverer("IntegrationHealth.Api.Tests.Infrastructure.ServerFactDiscoverer", "IntegrationHealth.Api.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ServerFactAttribute : FactAttribute;

/// <summary>Decides the skip per concrete test class, so one abstract suite serves SQLite and PostgreSQL.</summary>
public sealed class ServerFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod,
        IAttributeInfo factAttribute)
    {
        var type = (testMethod.TestClass.Class as IReflectionTypeInfo)?.Type;
        if (type is not null && typeof(IRequiresPostgres).IsAssignableFrom(type) && TestServers.PostgresSkipReason is { } reason)
            return new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
        return base.CreateTestCase(discoveryOptions, testMethod, factAttribute);
    }
}
