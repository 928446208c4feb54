using System.CommandLine;
using System.Globalization;

namespace IntegrationHealth.Api.Cli;

/// <summary>
/// Typed options shared by the verbs, with System.CommandLine custom parsers that accept the forms the CLI documents
/// (<c>2000/s</c>, <c>30s</c>, …) and report out-of-range values as parse errors naming the option.
/// </summary>
internal static class OptionValues
{
    /// <summary>An integer option from <paramref name="min"/> to <paramref name="max"/>, <paramref name="defaultValue"/> when absent.</summary>
    public static Option<int> Integer(string name, string description, int defaultValue, int min = int.MinValue, int max = int.MaxValue) =>
        new(name)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
                    return value;
                result.AddError(min == int.MinValue && max == int.MaxValue
                    ? $"{name} must be an integer (was '{text}')."
                    : $"{name} must be an integer from {min} to {max} (was '{text}').");
                return default;
            },
        };

    /// <summary>A string option that must not be empty or blank.</summary>
    public static Option<string> Text(string name, string helpName, string description) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (!string.IsNullOrWhiteSpace(text)) return text;
                result.AddError($"{name} must not be empty.");
                return null;
            },
        };

    /// <summary>Parses a rate such as <c>500</c>, <c>500/s</c> or <c>30000/min</c> into events per second; null when invalid.</summary>
    public static double? ParseRate(string text)
    {
        var perMinute = text.EndsWith("/min", StringComparison.OrdinalIgnoreCase) || text.EndsWith("/m", StringComparison.OrdinalIgnoreCase);
        if (text.Contains('/') && !perMinute && !text.EndsWith("/s", StringComparison.OrdinalIgnoreCase)) return null;
        if (!double.TryParse(text.Split('/')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0)
            return null;
        return perMinute ? value / 60 : value;
    }

    /// <summary>Parses a duration such as <c>30</c> (seconds), <c>30s</c>, <c>5m</c>, <c>1h</c> or <c>00:05:00</c>; null when invalid or not positive.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        TimeSpan? parsed = text.Length == 0 ? null : char.ToLowerInvariant(text[^1]) switch
        {
            's' => Number(text[..^1], 1),
            'm' => Number(text[..^1], 60),
            'h' => Number(text[..^1], 3600),
            _ when text.Contains(':', StringComparison.Ordinal) => TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : null,
            _ => Number(text, 1),
        };
        return parsed > TimeSpan.Zero ? parsed : null;

        static TimeSpan? Number(string digits, double unitSeconds) =>
            double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v > 0 && v * unitSeconds < 7 * 86400 + 1
                ? TimeSpan.FromSeconds(v * unitSeconds)
                : null;
    }

}
