namespace IntegrationHealth.Benchmarks.Ingestion;

// STUB: replaced by the ingestion benchmark's author.
internal static class IngestionBenchmark
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(1);
}
