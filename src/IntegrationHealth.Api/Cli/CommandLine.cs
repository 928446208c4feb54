using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using IntegrationHealth.Data;

namespace IntegrationHealth.Api.Cli;

/// <summary>
/// The program's command line, parsed by System.CommandLine. <c>serve</c> (default) and <c>jobs</c> run the service;
/// <c>demo</c> seeds a demo world and serves it; <c>simulate</c> sends live traffic to a running instance;
/// <c>keys create</c> issues an API key. Host settings (ASP.NET configuration) may follow a verb's options; see
/// <see cref="HostSettings"/>. Exit codes: <see cref="Success"/>, <see cref="Failure"/> (including configuration
/// errors, shown as <c>error: message</c>), <see cref="BadArguments"/>.
/// </summary>
public static class CommandLine
{
    /// <summary>Exit code: the command succeeded.</summary>
    public const int Success = 0;

    /// <summary>Exit code: the command failed, e.g. a configuration error or failed requests.</summary>
    public const int Failure = 1;

    /// <summary>Exit code: bad arguments (unknown command or option, missing or out-of-range value).</summary>
    public const int BadArguments = 2;

    private const string ExitCodesHelp = "Exit codes: 0 success, 1 failure (including configuration errors), 2 bad arguments.";

    // No response files (a value such as '@home' stays a value) and no bundling of single-letter options (there are none).
    private static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null, EnablePosixBundling = false };

    /// <summary>Runs the command line; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var result = Parse(args);

        var errors = result.Errors.Select(e => e.Message).ToList();
        // Host settings matter only when the command itself runs (not for --help, --version or a directive).
        if (result.Action is ParseErrorAction || result.Action == result.CommandResult.Command.Action)
        {
            if (HostSettings.Validate(result) is { } hostError) errors.Add(hostError);
        }
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"error: {error}");
            }
            await stderr.WriteLineAsync();
            // The failing command's help, on stderr: stdout stays for results.
            Parse([.. CommandWords(result.CommandResult), "--help"]).Invoke(new InvocationConfiguration { Output = stderr, Error = stderr });
            return BadArguments;
        }

        try
        {
            return await result.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                // Failures below are reported here; the hosts handle Ctrl+C and SIGTERM themselves.
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (Exception ex) when (StoreErrors.Classify(ex) != StoreFault.None)
        {
            // The one-shot verbs (keys create, demo's seeding) need the database now; serve and jobs wait for it instead.
            // First: EF wraps transient failures in an InvalidOperationException, which is not a configuration mistake.
            await stderr.WriteLineAsync($"error: the database is unavailable ({StoreErrors.Describe(ex)}); nothing was done.");
            return Failure;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            // Configuration mistakes (unknown provider, missing connection string, bad Roles): a message, not a stack trace.
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return Failure;
        }
    }

    /// <summary>Parses <paramref name="args"/> against <see cref="CreateRootCommand"/>, without running anything.</summary>
    internal static ParseResult Parse(string[] args) => CreateRootCommand().Parse(args, Parsing);

    /// <summary>The root command: <c>serve</c> when no verb is given, and every verb as a sub-command.</summary>
    internal static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("IntegrationHealth: per-account integration telemetry and the decisions built on it. With no command: serve.")
        {
            ServeCommand.Create(),
            JobsCommand.Create(),
            DemoCommand.Create(),
            SimulateCommand.Create(),
            KeysCommand.Create(),
            HelpCommand(),
        };
        root.TreatUnmatchedTokensAsErrors = false; // host settings for the default 'serve'; see HostSettings
        root.SetAction((result, _) => ServeCommand.RunAsync(HostSettings.Of(result)));
        var help = root.Options.OfType<HelpOption>().Single(); // recursive: the same option serves every sub-command
        help.Action = new HelpWithHostSettings((HelpAction)help.Action!);
        return root;
    }

    /// <summary>The words naming the command of <paramref name="result"/>, without the program's name, e.g. <c>keys create</c>.</summary>
    internal static List<string> CommandWords(CommandResult result)
    {
        var words = new List<string>();
        for (var r = result; r.Parent is CommandResult parent; r = parent)
        {
            words.Insert(0, r.Command.Name);
        }
        return words;
    }

    /// <summary>The words naming the command of <paramref name="result"/>, e.g. <c>keys create</c>, or the program's name.</summary>
    internal static string CommandPath(CommandResult result) =>
        CommandWords(result) is { Count: > 0 } words ? string.Join(' ', words) : result.Command.Name;

    /// <summary><c>help [command]</c>: the help of the root or of the named command, as the old parser accepted it
    /// (hidden: <c>--help</c> is the documented way).</summary>
    private static Command HelpCommand()
    {
        var words = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("help", "Show help and usage information.") { words };
        command.Hidden = true;
        command.SetAction(result => Parse([.. result.GetValue(words) ?? [], "--help"]).Invoke(new InvocationConfiguration
        {
            Output = result.InvocationConfiguration.Output,
            Error = result.InvocationConfiguration.Error,
        }));
        return command;
    }

    /// <summary>System.CommandLine's help, then a note on host settings for the commands that take them.</summary>
    private sealed class HelpWithHostSettings(HelpAction help) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => help.ClearsParseErrors;

        public override int Invoke(ParseResult parseResult)
        {
            var code = help.Invoke(parseResult);
            var command = parseResult.CommandResult.Command;
            var output = parseResult.InvocationConfiguration.Output;
            if (command is RootCommand || (HostSettings.AreAcceptedBy(command) && command.Subcommands.Count == 0))
            {
                output.WriteLine(HostSettings.HelpText);
            }
            if (command is RootCommand)
            {
                output.WriteLine(ExitCodesHelp);
                output.WriteLine();
            }
            return code;
        }
    }
}
