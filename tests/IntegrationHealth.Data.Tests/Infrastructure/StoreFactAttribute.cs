using Xunit.Abstractions;
using Xunit.Sdk;

namespace IntegrationHealth.Data.Tests.Infrastructure;

/// <summary>Marks a test class that needs the PostgreSQL test server.</summary>
public interface IRequiresPostgres;

/// <summary>
/// A fact of the store compliance suite. In a class marked <see cref="IRequiresPostgres"/> it is skipped, with the
/// reason shown, when no PostgreSQL server is configured and CI is not set; on CI it runs (and fails clearly).
/// </summary>
[XunitTestCaseDiscoverer("IntegrationHealth.Data.Tests.Infrastructure.StoreFactDiscoverer", "IntegrationHealth.Data.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests, deciding the skip per concrete test class.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
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
