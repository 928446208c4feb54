using System.CommandLine;
using IntegrationHealth.Demo;

namespace IntegrationHealth.Api.Cli;

/// <summary>
/// <c>simulate --target URL --key KEY [--rate N/s] [--duration S] [--batch N] [--accounts N] [--workers N] [--seed S]</c>:
/// live demo traffic sent to a running instance, then a report on stdout; exit code 1 when any request failed.
/// Takes no host settings: any other option is an error.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>The <c>simulate</c> command.</summary>
    public static Command Create()
    {
        var target = new Option<Uri>("--target")
        {
            Description = "Base URL of the running instance, e.g. http://127.0.0.1:5000.",
            HelpName = "URL",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
                result.AddError($"--target must be an absolute http(s) URL (was '{text}').");
                return null;
            },
        };
        var key = OptionValues.Text("--key", "KEY", "An API key with the ingest scope.");
        key.Required = true;
        var rate = new Option<double>("--rate")
        {
            Description = "Events per second: 500, 500/s or 30000/min.",
            HelpName = "N/s",
            DefaultValueFactory = _ => 1000,
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (OptionValues.ParseRate(text) is { } perSecond and <= 10_000_000) return perSecond;
                result.AddError($"--rate must be a positive rate up to 10000000/s such as 500/s or 30000/min (was '{text}').");
                return default;
            },
        };
        var duration = new Option<TimeSpan>("--duration")
        {
            Description = "How long to send: 30 (seconds), 30s, 5m, 1h or 00:05:00; at most 7 days.",
            HelpName = "S",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (OptionValues.ParseDuration(text) is { } span && span <= TimeSpan.FromDays(7)) return span;
                result.AddError($"--duration must be a positive duration of at most 7 days such as 30, 30s, 5m or 1h (was '{text}').");
                return default;
            },
        };
        var batch = OptionValues.Integer("--batch", "Events per request.", 1000, 1, 10_000);
        var accounts = OptionValues.Integer("--accounts", "Simulated accounts (sim-0001…), upserted first.", 50, 1, 100_000);
        var workers = OptionValues.Integer("--workers", "Concurrent HTTP workers.", 4, 1, 64);
        var seed = OptionValues.Integer("--seed", "Random seed of the traffic.", 42);

        var command = new Command("simulate", "Send live demo traffic to a running instance and print a report.")
        {
            target, key, rate, duration, batch, accounts, workers, seed,
        };
        command.TreatUnmatchedTokensAsErrors = true; // no host settings
        command.SetAction((result, _) => RunAsync(
            new SimulationOptions
            {
                Target = result.GetRequiredValue(target),
                ApiKey = result.GetRequiredValue(key),
                Rate = result.GetValue(rate),
                Duration = result.GetValue(duration),
                BatchSize = result.GetValue(batch),
                Accounts = result.GetValue(accounts),
                Workers = result.GetValue(workers),
                Seed = result.GetValue(seed),
            },
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static async Task<int> RunAsync(SimulationOptions options, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            // The options' parsers check the same ranges; this guards against the two drifting apart.
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return CommandLine.BadArguments;
        }

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
        Console.CancelKeyPress += onCancel;
        SimulationReport report;
        try
        {
            using var bar = ConsoleProgressBar.ForStandardError();
            report = await TrafficSimulator.RunAsync(options, bar, stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        await stdout.WriteLineAsync(
            $"Sent {report.EventsSent:N0} events in {report.Elapsed.TotalSeconds:N1} s: {report.Accepted:N0} accepted " +
            $"({report.AcceptedPerSecond:N0}/s), {report.Duplicates:N0} duplicates, {report.FailedRequests:N0} failed requests.");
        if (report.FirstError is { } error) await stdout.WriteLineAsync($"First error: {error}");
        return report.FailedRequests == 0 ? 0 : 1;
    }
}
