using IntegrationHealth.Api.Cli;
using IntegrationHealth.Web.Diagnostics;

// Before the host allocates: SQLite's page caches are kept out of malloc's arenas (see NativeHeap.MmapThresholdBytes).
NativeHeap.Configure();

// Verbs (serve, jobs, demo, simulate, keys create) and their options come first; host settings follow.
return await CommandLine.RunAsync(args);

/// <summary>The entry point's type, public so test hosts can locate this assembly.</summary>
public partial class Program;
