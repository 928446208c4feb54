using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.ProviderDoubles;
using IntegrationHealth.Engine.Tests.Execution;

namespace IntegrationHealth.Engine.Tests.Gaps;

/// <summary>A <see cref="DirectoryDouble"/> of 25 people on 127.0.0.1 and an engine whose origin override points the
/// <c>directory</c> definition at it, per test.</summary>
public abstract class DirectoryTestBase : IAsyncLifetime
{
    protected DirectoryDouble Double { get; } = new(people: 25);
    protected EngineHarness Engine { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Double.StartAsync();
        Engine = EngineHarness.Create(new Dictionary<string, ProviderDouble> { ["directory"] = Double });
    }

    public async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Double.DisposeAsync();
    }

    protected Task<EngineConnection> ConnectAsync(string key = DirectoryDouble.ApiKey) => Engine.ConnectAsync(ConnectionCredentials.Of(("api_key", key)));
}
