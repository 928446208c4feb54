namespace IntegrationHealth.Benchmarks.Jsonata;

// STUB: replaced by the JSONata benchmark's author.
internal static class JsonataBenchmark
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(1);
}
