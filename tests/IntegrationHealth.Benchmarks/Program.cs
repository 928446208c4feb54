using IntegrationHealth.Benchmarks.Analytics;
using IntegrationHealth.Benchmarks.Ingestion;
using IntegrationHealth.Benchmarks.Jsonata;
using IntegrationHealth.Benchmarks.Proxy;
using IntegrationHealth.Benchmarks.Syncs;

// Usage: dotnet run -c Release --project tests/IntegrationHealth.Benchmarks -- <jsonata|ingestion|ingest-volume|ingest-floor|sync|proxy|analytics|analytics-eval|all> [options]
var suite = args.Length > 0 ? args[0] : "all";
var rest = args.Skip(1).ToArray();
return suite switch
{
    "jsonata" => await JsonataBenchmark.RunAsync(rest),
    "ingestion" => await IngestionBenchmark.RunAsync(rest),
    "ingest-volume" => await VolumeBenchmark.RunAsync(rest),
    "ingest-floor" => await FloorBenchmark.RunAsync(rest),
    "sync" => await SyncBenchmark.RunAsync(rest),
    "analytics-eval" => await AnalyticsEvaluation.RunAsync(rest),
    "analytics" => await AnalyticsBenchmark.RunAsync(rest),
    "proxy" => await ProxyBenchmark.RunAsync(rest),
    "proxy-serve" => await ProxyChild.ServeAsync(rest), // internal: the proxy suite's own child process
    "all" => await JsonataBenchmark.RunAsync(rest) | await IngestionBenchmark.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: IntegrationHealth.Benchmarks <jsonata|ingestion|ingest-volume|ingest-floor|sync|proxy|analytics|analytics-eval|all> [options]");
    return 2;
}
