using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace IntegrationHealth.Testing;

/// <summary>Marks a test class that needs the PostgreSQL test server (its <see cref="StoreFactAttribute"/> tests are
/// skipped without one, outside CI).</summary>
public interface IRequiresPostgres;

/// <summary>
/// A fact of a suite that runs against every store provider: an abstract class whose tests each concrete subclass runs
/// over its own database. In a concrete class marked <see cref="IRequiresPostgres"/> it is skipped, with the reason
/// shown, when no PostgreSQL server is configured and CI is not set; on CI it runs (and fails clearly). Elsewhere
/// (the SQLite classes) it is a plain fact.
/// </summary>
[XunitTestCaseDiscoverer("IntegrationHealth.Testing.StoreFactDiscoverer", "IntegrationHealth.Testing")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests, deciding the skip per concrete test class: the attribute
/// sits on the abstract suite's method, which alone cannot tell whether the class running it needs PostgreSQL.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc />
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod,
        IAttributeInfo factAttribute)
    {
        var type = (testMethod.TestClass.Class as IReflectionTypeInfo)?.Type;
        if (type is not null && typeof(IRequiresPostgres).IsAssignableFrom(type) && TestServers.PostgresSkipReason is { } reason)
        {
            return new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
        }

        return base.CreateTestCase(discoveryOptions, testMethod, factAttribute);
    }
}
