using IntegrationHealth.Data.Entities;
using IntegrationHealth.Data.Telemetry;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Telemetry;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Tests.Execution;

/// <summary><c>AddEngine</c>: options validated at start, definitions loaded at start, telemetry written in batches.</summary>
public sealed class EngineRegistrationTests
{
    private static IHost Host(IDictionary<string, string?> settings, Action<IServiceCollection>? more = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<ITelemetryWriter, RecordingTelemetryWriter>();
        builder.Services.AddSingleton<IEndpointTemplateIds, RecordingEndpointTemplateIds>();
        builder.Services.AddEngine();
        more?.Invoke(builder.Services);
        return builder.Build();
    }

    [Theory]
    [InlineData("Engine:MaxPages", "0", "Engine:MaxPages")]
    [InlineData("Engine:RequestTimeout", "00:00:00", "Engine:RequestTimeout")]
    [InlineData("Engine:BackgroundRetries", "11", "Engine:BackgroundRetries")]
    [InlineData("Engine:TelemetryBatchSize", "0", "Engine:TelemetryBatchSize")]
    [InlineData("Engine:OriginOverrides:x", "http://127.0.0.1:1/path", "Engine:OriginOverrides")]
    public async Task Start_InvalidSetting_FailsNamingIt(string key, string value, string named)
    {
        using var host = Host(new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, error.Message);
    }

    private sealed class BrokenSource : IProviderDefinitionSource
    {
        public string Origin => "test";

        public IEnumerable<(string Name, string Json)> Documents()
        {
            var definition = Definitions.TestDefinitions.Minimal();
            Definitions.TestDefinitions.List(definition)["records"] = "items[";
            yield return ("broken.json", definition.ToJsonString());
        }
    }

    [Fact]
    public async Task Start_InvalidDefinition_FailsNamingItsSourceAndPath()
    {
        using var host = Host(new Dictionary<string, string?>(), s => s.AddSingleton<IProviderDefinitionSource, BrokenSource>());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("test:broken.json", error.Message);
        Assert.Contains("$.resources.contacts.operations.list.records", error.Message);
    }

    [Fact]
    public async Task Start_Valid_LoadsTheShippedDefinitions()
    {
        using var host = Host(new Dictionary<string, string?>());

        await host.StartAsync();

        Assert.Contains(host.Services.GetRequiredService<ProviderRegistry>().All, p => p.Key == "pipedrive");
        await host.StopAsync();
    }

    private static TelemetryEvent Event(int i) => new() { Id = Guid.CreateVersion7(), OccurredAt = DateTime.UtcNow, Resource = $"r{i}" };

    [Fact]
    public async Task Telemetry_WrittenInBatchesInTheBackground_AndTheRestOnStop()
    {
        using var host = Host(new Dictionary<string, string?> { ["Engine:TelemetryBatchSize"] = "3", ["Engine:TelemetryFlushInterval"] = "00:00:00.050" });
        await host.StartAsync();
        var telemetry = host.Services.GetRequiredService<IEngineTelemetry>();
        var writer = (RecordingTelemetryWriter)host.Services.GetRequiredService<ITelemetryWriter>();

        for (var i = 0; i < 7; i++) telemetry.Record(Event(i));
        for (var wait = 0; writer.Events.Count < 7 && wait < 100; wait++) await Task.Delay(50);
        telemetry.Record(Event(7));
        await host.StopAsync();

        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"r{i}"), writer.Events.Select(e => e.Resource));
        Assert.All(writer.Batches, b => Assert.InRange(b.Count, 1, 3));
        Assert.True(writer.Batches.Count < 8, "events were written one by one");
    }

    [Fact]
    public async Task Telemetry_QueueFull_DropsAndCountsInsteadOfBlocking()
    {
        using var host = Host(new Dictionary<string, string?> { ["Engine:TelemetryBatchSize"] = "2", ["Engine:TelemetryQueueCapacity"] = "2" });
        var telemetry = host.Services.GetRequiredService<BatchingTelemetryWriter>();

        for (var i = 0; i < 5; i++) telemetry.Record(Event(i));
        await telemetry.FlushAsync();

        Assert.Equal(3, telemetry.Dropped);
        Assert.Equal(["r0", "r1"], ((RecordingTelemetryWriter)host.Services.GetRequiredService<ITelemetryWriter>()).Events.Select(e => e.Resource));
    }

    private sealed class FailingEndpointTemplateIds : IEndpointTemplateIds
    {
        public Task<IReadOnlyDictionary<(int TenantId, int ProviderId, string Template), int>> ResolveAsync(
            IReadOnlyCollection<(int TenantId, int ProviderId, string Template)> templates, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("store down");
    }

    [Fact]
    public async Task Telemetry_InterningFails_EventsAreWrittenWithoutEndpointIds()
    {
        using var host = Host(new Dictionary<string, string?>(), s => s.AddSingleton<IEndpointTemplateIds, FailingEndpointTemplateIds>());
        var telemetry = host.Services.GetRequiredService<BatchingTelemetryWriter>();

        telemetry.Record(Event(0), "/things/{id}");
        await telemetry.FlushAsync();

        var written = Assert.Single(((RecordingTelemetryWriter)host.Services.GetRequiredService<ITelemetryWriter>()).Events);
        Assert.Null(written.EndpointId);
    }
}
