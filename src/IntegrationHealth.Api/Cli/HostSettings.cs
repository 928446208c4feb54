using System.CommandLine;

namespace IntegrationHealth.Api.Cli;

/// <summary>
/// Host settings: ASP.NET configuration arguments given with a verb, e.g. <c>demo --accounts 50 --urls http://…
/// --Database:Provider postgres</c>. They are the tokens System.CommandLine did not match to the verb's options
/// (<see cref="ParseResult.UnmatchedTokens"/>) and go, in order, to the host builder. A setting without a section (no
/// ':') must be a known top-level setting, so a typo such as <c>--acounts</c> is an error rather than a silently
/// ignored configuration key. Commands that take no host settings set <see cref="Command.TreatUnmatchedTokensAsErrors"/>
/// (System.CommandLine itself enforces that flag on subcommands only when the root command sets it too, and the root
/// command, <c>serve</c> by default, takes host settings; so <see cref="Validate"/> enforces it).
/// </summary>
internal static class HostSettings
{
    private static readonly HashSet<string> KnownHostSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        "urls", "environment", "contentRoot", "applicationName", "http_ports", "https_ports", "Roles", "AllowedHosts",
        "Database", "Ingestion", "Auth", "Hangfire", "Logging", "Kestrel",
    };

    /// <summary>The paragraph appended to the help of commands that take host settings.</summary>
    public const string HelpText = """
        Host settings (the additional arguments):
          ASP.NET configuration settings, e.g. --urls http://127.0.0.1:5080 --Database:Provider postgres
          --Database:ConnectionString "Host=...;Database=...". A setting without a section (no ':') must be a
          known one (urls, Roles, Database, ...). See CONFIGURATION.md for every setting.
        """;

    /// <summary>Whether <paramref name="command"/> passes host settings on to a host.</summary>
    public static bool AreAcceptedBy(Command command) => !command.TreatUnmatchedTokensAsErrors;

    /// <summary>The host settings of a parsed command line, for the host builder's <c>args</c>.</summary>
    public static string[] Of(ParseResult result) => [.. result.UnmatchedTokens];

    /// <summary>The first problem with the unmatched tokens of <paramref name="result"/> for its command; null when none.</summary>
    public static string? Validate(ParseResult result)
    {
        var command = result.CommandResult.Command;
        var tokens = result.UnmatchedTokens;
        if (tokens.Count == 0) return null;
        var first = tokens[0];
        if (!first.StartsWith('-') && !first.StartsWith('/') && command.Subcommands.Count > 0)
            return $"Unknown command '{first}'.";
        if (!AreAcceptedBy(command))
            return first.StartsWith('-') ? $"Unknown option '{first}' for {CommandLine.CommandPath(result.CommandResult)}." : $"Unexpected argument '{first}'.";

        for (var i = 0; i < tokens.Count; i++)
        {
            var arg = tokens[i];
            string key;
            if (arg.StartsWith("--", StringComparison.Ordinal)) key = arg[2..];
            else if (arg.StartsWith('/') || (arg.StartsWith('-') && arg.Length > 1 && !char.IsDigit(arg[1]))) key = arg.TrimStart('-', '/');
            else return $"Unexpected argument '{arg}'.";
            var equals = key.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0) key = key[..equals];
            else if (i + 1 < tokens.Count && !tokens[i + 1].StartsWith('-')) i++; // "--key value"
            var section = key.Split(':', 2)[0].Replace("__", ":", StringComparison.Ordinal).Split(':')[0];
            if (!KnownHostSettings.Contains(section) && !key.Contains(':', StringComparison.Ordinal))
                return $"Unknown option '--{key}'.";
        }
        return null;
    }

    /// <summary>
    /// The host settings of <paramref name="hostArgs"/> that choose the store (<c>--Database:…</c>, in either
    /// <c>--key value</c> or <c>--key=value</c> form), so a printed follow-up command acts on the same database.
    /// </summary>
    public static IEnumerable<string> StoreSettings(string[] hostArgs)
    {
        for (var i = 0; i < hostArgs.Length; i++)
        {
            if (!hostArgs[i].StartsWith("--Database:", StringComparison.OrdinalIgnoreCase)) continue;
            yield return hostArgs[i];
            if (!hostArgs[i].Contains('=', StringComparison.Ordinal) && i + 1 < hostArgs.Length && !hostArgs[i + 1].StartsWith("--", StringComparison.Ordinal))
                yield return hostArgs[++i];
        }
    }

    /// <summary>
    /// How to run this program again from a shell: the apphost's path, or <c>dotnet</c> with the entry assembly when the
    /// process is the dotnet host (as under <c>dotnet IntegrationHealth.Api.dll</c>), each argument quoted for sh.
    /// </summary>
    public static string SelfInvocation(params IEnumerable<string> arguments)
    {
        var process = Environment.ProcessPath ?? "IntegrationHealth.Api";
        IEnumerable<string> command = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? [process, System.Reflection.Assembly.GetEntryAssembly()?.Location ?? "IntegrationHealth.Api.dll"]
            : [process];
        return string.Join(' ', command.Concat(arguments).Select(Quote));
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@+".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
