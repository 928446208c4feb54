using System.Globalization;

namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>
/// <c>$toMillis(timestamp)</c> without a picture: jsonata-js's ISO 8601 shape check (D3110 when it fails) followed
/// by the JavaScript engine's <c>Date.parse</c>, whose acceptance rules (as measured on Node 20) are reproduced here.
/// </summary>
/// <remarks>
/// Differences from Node, by design: a date-time without an offset is read as UTC rather than the host's local
/// time, so results do not depend on the server's time zone.
/// </remarks>
internal static class IsoTimestamp
{
    /// <summary>Millis since the epoch; NaN when the shape is ISO 8601 but the date is impossible (month 13, hour 25).</summary>
    /// <exception cref="JsonataException">D3110 when <paramref name="timestamp"/> is not ISO 8601 in shape.</exception>
    public static double Parse(string timestamp)
    {
        if (!IsoShape.TryMatch(timestamp, out var shape))
        {
            throw FormattingErrors.Create("D3110", timestamp);
        }

        var text = timestamp.AsSpan();
        var year = Number(shape.Year.Of(text));
        var month = shape.Month.Success ? Number(shape.Month.Of(text)) : 1;
        var day = shape.Day.Success ? Number(shape.Day.Of(text)) : 1;
        var hasTime = shape.Time.Success;
        var fraction = shape.Fraction;
        var zone = shape.Zone;
        var zoneIsOffset = zone.Success && zone.Length > 1;

        if (shape.Day.Success && !shape.Month.Success)
        {
            return double.NaN; // "2018-26": the shape check lets a day through without a month; Node does not
        }

        if (fraction.Success && !hasTime)
        {
            // Node's fallback parser reads "2018.5" as May 2018 and "2018-03.5" as 5 March: a dot separates
            // one more date field. Anything else with a fraction but no time is rejected.
            if (shape.Day.Success || fraction.Length > 3 || zoneIsOffset)
            {
                return double.NaN;
            }

            var field = Number(fraction.Of(text)[1..]);
            if (shape.Month.Success)
            {
                day = field;
            }
            else
            {
                month = field;
            }

            fraction = default;
        }
        else if (zoneIsOffset && !hasTime)
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
            var time = shape.Time.Of(text);
            hours = Number(time.Slice(1, 2));
            minutes = Number(time.Slice(4, 2));
            seconds = Number(time.Slice(7, 2));
        }

        if (fraction.Success)
        {
            // The first three digits, padded with zeros on the right ("5" is 500 ms).
            var digits = fraction.Of(text)[1..];
            millis = Number(digits[..Math.Min(3, digits.Length)]);
            for (var i = digits.Length; i < 3; i++)
            {
                millis *= 10;
            }
        }

        if (hours > 24 || (hours == 24 && (minutes != 0 || seconds != 0 || millis != 0)))
        {
            return double.NaN;
        }

        var offsetMinutes = 0;
        if (zoneIsOffset)
        {
            var offset = zone.Of(text);
            var offsetHours = Number(offset.Slice(1, 2));
            var offsetMins = Number(offset[^2..]);
            if (offsetHours > 23)
            {
                return double.NaN;
            }

            offsetMinutes = (offset[0] == '-' ? -1 : 1) * ((offsetHours * 60) + offsetMins);
        }

        // Days beyond the month's length roll over ("2018-02-30" is 2 March), as in Node.
        double result;
        if (year >= 100)
        {
            result = CalendarInstant.DateUtc(year, month - 1, day, hours, minutes, seconds, millis);
        }
        else if (!hasTime && (zone.Success || shape.Fraction.Success))
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

    /// <summary>The value of ASCII digits (the shape guarantees them, at most 9 are read as a number).</summary>
    private static int Number(ReadOnlySpan<char> digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
}
