using IntegrationHealth.Api.Tests.Infrastructure;

namespace IntegrationHealth.Api.Tests.Operations;

/// <summary>
/// <c>/metrics</c> shows where the process's memory is (the figures <c>ingest-volume</c> prints). In a collection of its
/// own, with no other class running: the metrics SDK listens to meters by name across every host in the test process,
/// and with other hosts of the same meters starting and stopping alongside, SQLite's heap gauge was once missing from
/// this host's export for the whole 10 s the test waits (a clean-clone CI run; never alone or in the other runs).
/// </summary>
[Collection(NativeHeapCollection.Name)]
public sealed class MemoryMetricsTests(SeededHostFixture fixture) : IClassFixture<SeededHostFixture>
{
    [Fact]
    public async Task Metrics_OnSqlite_ShowWhereTheMemoryIs()
    {
        using var client = fixture.Host.Client(fixture.Key);
        await TestHttp.EnsureSuccessAsync(await client.PostAsync("/v1/events", TestHttp.Json(TestEvents.Array(TestEvents.Valid()))));

        // Until a sample of SQLite's heap is exported (its # TYPE line alone is not one), at most 10 s.
        string text = "";
        for (var attempt = 0; attempt < 50 && !HasSample(text, "integrationhealth_sqlite_heap_used_bytes"); attempt++)
        {
            text = await fixture.Host.Client().GetStringAsync("/metrics");
            if (!HasSample(text, "integrationhealth_sqlite_heap_used_bytes")) await Task.Delay(200);
        }

        // The GC's figures (the runtime's meter), SQLite's heap, and on glibc malloc's: what ingest-volume prints.
        Assert.Contains("dotnet_gc_last_collection_memory_committed_size_bytes", text);
        Assert.Contains("dotnet_gc_last_collection_heap_size_bytes", text);
        Assert.True(Gauge(text, "integrationhealth_sqlite_heap_used_bytes") > 0, "SQLite's heap is not reported");
        if (OperatingSystem.IsLinux())
        {
            Assert.True(Gauge(text, "integrationhealth_process_native_heap_used_bytes") > Gauge(text, "integrationhealth_sqlite_heap_used_bytes"),
                "malloc's in-use bytes are not reported, or are less than SQLite's own, which live in them");
            Assert.Contains("integrationhealth_process_native_heap_free_bytes", text);
        }
    }

    private static double Gauge(string metrics, string name)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"{name} is missing from /metrics");
        var value = line.Contains('}', StringComparison.Ordinal) ? line[(line.LastIndexOf('}') + 1)..] : line[name.Length..];
        return double.Parse(value.Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool HasSample(string metrics, string name) =>
        metrics.Split('\n').Any(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal));
}
