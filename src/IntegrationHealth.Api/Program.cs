using IntegrationHealth.Api.Cli;

// Verbs (serve, jobs, demo, simulate, keys create) and their options come first; host settings follow.
return await CommandLine.RunAsync(args);

/// <summary>The entry point's type, public so test hosts can locate this assembly.</summary>
public partial class Program;
