using System.Globalization;

namespace IntegrationHealth.Api.Cli;

/// <summary>Raised for bad command-line arguments; the message is shown above the usage text and the exit code is 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// A verb's own options followed by the host's (ASP.NET configuration) arguments: <c>demo --accounts 50 --urls http://…</c>.
/// The verb's options come first; from the first argument that is not one of them, the rest goes to the host. Host
/// arguments without a section (no ':') must be a known setting, so a typo such as <c>--acounts</c> is an error rather
/// than a silently ignored configuration key.
/// </summary>
public sealed class CommandLineArguments
{
    private static readonly HashSet<string> KnownHostSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        "urls", "environment", "contentRoot", "applicationName", "http_ports", "https_ports", "Roles", "AllowedHosts",
        "Database", "Ingestion", "Auth", "Hangfire", "Logging", "Kestrel",
    };

    private readonly Dictionary<string, string> _options;

    private CommandLineArguments(string verb, Dictionary<string, string> options, string[] hostArgs)
    {
        Verb = verb;
        _options = options;
        HostArgs = hostArgs;
    }

    /// <summary>The verb, e.g. <c>serve</c> or <c>keys create</c>.</summary>
    public string Verb { get; }

    /// <summary>Arguments passed on to the host builder (configuration).</summary>
    public string[] HostArgs { get; }

    /// <summary>Splits <paramref name="args"/> into verb, the verb's options (of <paramref name="optionsOf"/>) and host args.</summary>
    public static CommandLineArguments Parse(string[] args, Func<string, IReadOnlySet<string>?> optionsOf)
    {
        var position = 0;
        var verb = "serve";
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            verb = args[0].ToLowerInvariant();
            position = 1;
            if (verb == "keys")
            {
                if (args.Length < 2 || !args[1].Equals("create", StringComparison.OrdinalIgnoreCase))
                    throw new UsageException("'keys' needs a sub-command: keys create --tenant <slug> --scope <scopes>.");
                verb = "keys create";
                position = 2;
            }
        }
        else if (args.Length > 0 && args[0] is "-h" or "--help" or "-?")
        {
            verb = "help";
            position = 1;
        }

        var allowed = optionsOf(verb) ?? throw new UsageException($"Unknown command '{verb}'.");
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (position < args.Length)
        {
            var arg = args[position];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) break;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg[2..] : arg[2..equals];
            if (!allowed.Contains(name)) break;
            string value;
            if (equals >= 0) value = arg[(equals + 1)..];
            else if (position + 1 < args.Length && !args[position + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[position + 1];
                position++;
            }
            else throw new UsageException($"--{name} needs a value.");
            if (!options.TryAdd(name, value)) throw new UsageException($"--{name} is given twice.");
            position++;
        }

        var hostArgs = args[position..];
        CheckHostArgs(hostArgs, allowed);
        return new CommandLineArguments(verb, options, hostArgs);
    }

    private static void CheckHostArgs(string[] hostArgs, IReadOnlySet<string> verbOptions)
    {
        for (var i = 0; i < hostArgs.Length; i++)
        {
            var arg = hostArgs[i];
            string key;
            if (arg.StartsWith("--", StringComparison.Ordinal)) key = arg[2..];
            else if (arg.StartsWith('/') || (arg.StartsWith('-') && arg.Length > 1 && !char.IsDigit(arg[1]))) key = arg.TrimStart('-', '/');
            else throw new UsageException($"Unexpected argument '{arg}'.");
            var equals = key.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0) key = key[..equals];
            else if (i + 1 < hostArgs.Length && !hostArgs[i + 1].StartsWith('-')) i++; // "--key value"
            var section = key.Split(':', 2)[0].Replace("__", ":", StringComparison.Ordinal).Split(':')[0];
            if (verbOptions.Contains(key)) throw new UsageException($"--{key} must come before host settings.");
            if (!KnownHostSettings.Contains(section) && !key.Contains(':', StringComparison.Ordinal))
                throw new UsageException($"Unknown option '--{key}'.");
        }
    }

    public string? Get(string name) => _options.TryGetValue(name, out var value) ? value : null;

    public string Require(string name) => Get(name) ?? throw new UsageException($"--{name} is required.");

    public int GetInt(string name, int fallback, int min, int max)
    {
        var text = Get(name);
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new UsageException($"--{name} must be an integer from {min} to {max} (was '{text}').");
        return value;
    }

    /// <summary>A rate such as <c>500</c>, <c>500/s</c> or <c>30000/min</c>, in events per second.</summary>
    public double GetRate(string name, double fallback)
    {
        var text = Get(name);
        if (text is null) return fallback;
        var perMinute = text.EndsWith("/min", StringComparison.OrdinalIgnoreCase) || text.EndsWith("/m", StringComparison.OrdinalIgnoreCase);
        var number = text.Split('/')[0];
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0
            || (text.Contains('/') && !perMinute && !text.EndsWith("/s", StringComparison.OrdinalIgnoreCase)))
            throw new UsageException($"--{name} must be a positive rate such as 500/s or 30000/min (was '{text}').");
        return perMinute ? value / 60 : value;
    }

    /// <summary>A duration such as <c>30</c> (seconds), <c>30s</c>, <c>5m</c>, <c>1h</c> or <c>00:05:00</c>.</summary>
    public TimeSpan GetDuration(string name, TimeSpan fallback)
    {
        var text = Get(name);
        if (text is null) return fallback;
        TimeSpan? parsed = text.Length == 0 ? null : char.ToLowerInvariant(text[^1]) switch
        {
            's' => Number(text[..^1], 1),
            'm' => Number(text[..^1], 60),
            'h' => Number(text[..^1], 3600),
            _ when text.Contains(':', StringComparison.Ordinal) => TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : null,
            _ => Number(text, 1),
        };
        if (parsed is not { } duration || duration <= TimeSpan.Zero)
            throw new UsageException($"--{name} must be a positive duration such as 30, 30s, 5m or 1h (was '{text}').");
        return duration;

        static TimeSpan? Number(string digits, double unitSeconds) =>
            double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v > 0 && v * unitSeconds < 7 * 86400 + 1
                ? TimeSpan.FromSeconds(v * unitSeconds)
                : null;
    }
}
