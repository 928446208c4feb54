using IntegrationHealth.Analytics;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHealth.Analytics.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public void AddAnalytics_ReturnsTheSameCollection()
    {
        var services = new ServiceCollection();
        Assert.Same(services, services.AddAnalytics());
    }
}
