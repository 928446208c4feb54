using System.Globalization;

namespace IntegrationHealth.Benchmarks.Ingestion;

/// <summary>
/// Where the API process's memory is, from its <c>/metrics</c> scrape: the GC heap after the last collection (all
/// generations) and what the GC has committed (runtime meter <c>System.Runtime</c>), SQLite's own allocations, and the
/// native heap's (glibc malloc's) allocated and freed-but-kept bytes (our <c>IntegrationHealth.Process</c> meter).
/// Resident memory beyond their sum is mostly code: mapped assemblies and native libraries, and the JIT's
/// double-mapped code heap.
/// </summary>
internal sealed record ApiMemory(long GcHeapBytes, long GcCommittedBytes, long? SqliteHeapBytes, long? NativeUsedBytes, long? NativeFreeBytes)
{
    /// <summary>How the column reads, for the table header.</summary>
    public const string Legend = "API GC heap/committed · SQLite heap · malloc used+free MB";

    /// <summary>Reads the figures from Prometheus text; null when the GC's are missing (an API without the meters).</summary>
    public static ApiMemory? Parse(string metrics)
    {
        long? committed = null, sqlite = null, used = null, free = null;
        long heap = 0;
        var any = false;
        foreach (var line in metrics.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            var name = line[..Math.Max(0, line.IndexOfAny('{', ' '))];
            var value = Value(line);
            switch (name)
            {
                case "dotnet_gc_last_collection_heap_size_bytes":
                    heap += value;
                    any = true;
                    break;
                case "dotnet_gc_last_collection_memory_committed_size_bytes":
                    committed = value;
                    break;
                case "integrationhealth_sqlite_heap_used_bytes":
                    sqlite = value;
                    break;
                case "integrationhealth_process_native_heap_used_bytes":
                    used = value;
                    break;
                case "integrationhealth_process_native_heap_free_bytes":
                    free = value;
                    break;
            }
        }

        return any && committed is { } c ? new ApiMemory(heap, c, sqlite, used, free) : null;
    }

    /// <summary>The column: <c>41/96 · 36 · 44+88</c> (MB; a dash for a figure the process does not have).</summary>
    public string Column() => string.Create(CultureInfo.InvariantCulture,
        $"{Mb(GcHeapBytes)}/{Mb(GcCommittedBytes)} · {Mb(SqliteHeapBytes)} · {Mb(NativeUsedBytes)}+{Mb(NativeFreeBytes)}");

    private static string Mb(long? bytes) => bytes is { } b ? (b / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture) : "–";

    // "name{labels} 1.2345e+07" or "name 123", perhaps followed by a timestamp: the field after the name and labels,
    // which the exporter may write in exponent form.
    private static long Value(ReadOnlySpan<char> line)
    {
        var rest = line[(line.LastIndexOf('}') + 1)..].TrimStart();
        if (line.IndexOf('{') < 0)
        {
            rest = rest[(rest.IndexOf(' ') + 1)..].TrimStart();
        }

        var end = rest.IndexOf(' ');
        var text = end < 0 ? rest : rest[..end];
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? (long)v : 0;
    }
}
