using System.Globalization;
using System.Text.RegularExpressions;

namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>
/// <c>$toMillis(timestamp)</c> without a picture: jsonata-js's ISO 8601 shape check (D3110 when it fails) followed
/// by the JavaScript engine's <c>Date.parse</c>, whose acceptance rules (as measured on Node 20) are reproduced here.
/// </summary>
/// <remarks>
/// Differences from Node, by design: a date-time without an offset is read as UTC rather than the host's local
/// time, so results do not depend on the server's time zone.
/// </remarks>
internal static partial class IsoTimestamp
{
    /// <summary>Millis since the epoch; NaN when the shape is ISO 8601 but the date is impossible (month 13, hour 25).</summary>
    /// <exception cref="JsonataException">D3110 when <paramref name="timestamp"/> is not ISO 8601 in shape.</exception>
    public static double Parse(string timestamp)
    {
        var match = Shape().Match(timestamp);
        if (!match.Success)
        {
            throw FormattingErrors.Create("D3110", timestamp);
        }

        var year = Number(match.Groups["year"].Value);
        var month = match.Groups["month"].Success ? Number(match.Groups["month"].Value) : 1;
        var day = match.Groups["day"].Success ? Number(match.Groups["day"].Value) : 1;
        var hasTime = match.Groups["time"].Success;
        var fraction = match.Groups["fraction"];
        var zone = match.Groups["zone"];

        if (match.Groups["day"].Success && !match.Groups["month"].Success)
        {
            return double.NaN; // "2018-26": the shape check lets a day through without a month; Node does not
        }

        if (fraction.Success && !hasTime)
        {
            // Node's fallback parser reads "2018.5" as May 2018 and "2018-03.5" as 5 March: a dot separates
            // one more date field. Anything else with a fraction but no time is rejected.
            if (match.Groups["day"].Success || fraction.Length > 3 || (zone.Success && zone.Value != "Z"))
            {
                return double.NaN;
            }

            var field = Number(fraction.Value[1..]);
            if (match.Groups["month"].Success)
            {
                day = field;
            }
            else
            {
                month = field;
            }

            fraction = Match.Empty;
        }
        else if (zone.Success && zone.Value != "Z" && !hasTime)
        {
            return double.NaN;
        }

        if (month is < 1 or > 12 || day is < 1 or > 31)
        {
            return double.NaN;
        }

        int hours = 0, minutes = 0, seconds = 0, millis = 0;
        if (hasTime)
        {
            hours = Number(match.Groups["hour"].Value);
            minutes = Number(match.Groups["minute"].Value);
            seconds = Number(match.Groups["second"].Value);
        }

        if (fraction.Success)
        {
            var digits = fraction.Value[1..];
            millis = Number(digits[..Math.Min(3, digits.Length)].PadRight(3, '0'));
        }

        if (hours > 24 || (hours == 24 && (minutes != 0 || seconds != 0 || millis != 0)))
        {
            return double.NaN;
        }

        var offsetMinutes = 0;
        if (zone.Success && zone.Value != "Z")
        {
            var offsetHours = Number(zone.Value.Substring(1, 2));
            var offsetMins = Number(zone.Value[^2..]);
            if (offsetHours > 23)
            {
                return double.NaN;
            }

            offsetMinutes = (zone.Value[0] == '-' ? -1 : 1) * ((offsetHours * 60) + offsetMins);
        }

        // Days beyond the month's length roll over ("2018-02-30" is 2 March), as in Node.
        double result;
        if (year >= 100)
        {
            result = CalendarInstant.DateUtc(year, month - 1, day, hours, minutes, seconds, millis);
        }
        else if (!hasTime && (zone.Success || match.Groups["fraction"].Success))
        {
            // Not ES ISO format, so Node's fallback parser reads the year the old way: 0 and 32-49 are 20xx,
            // 50-99 are 19xx. It reads 1-31 as a day instead (approximated here as "no date").
            if (year is >= 1 and <= 31)
            {
                return double.NaN;
            }

            result = CalendarInstant.DateUtc(year < 50 ? 2000 + year : 1900 + year, month - 1, day, hours, minutes, seconds, millis);
        }
        else
        {
            // Date.UTC would read 0-99 as 19xx; ISO text means the literal year. 400 years are exactly 146097 days.
            result = CalendarInstant.DateUtc(year + 400, month - 1, day, hours, minutes, seconds, millis) - (146_097 * CalendarInstant.MillisPerDay);
        }

        return result - (offsetMinutes * 60_000.0);
    }

    private static int Number(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    // jsonata-js: ^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$
    // with ASCII digits and a true end anchor, as in JavaScript.
    [GeneratedRegex(@"^(?<year>[0-9]{4})(?:-(?<month>[01][0-9]))?(?:-(?<day>[0-3][0-9]))?(?<time>T(?<hour>[0-2][0-9]):(?<minute>[0-5][0-9]):(?<second>[0-5][0-9]))?(?<fraction>\.[0-9]+)?(?<zone>[+-][0-2][0-9]:?[0-5][0-9]|Z)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
