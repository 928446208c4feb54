using System.Text;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>
/// <c>$fromMillis</c> and <c>$toMillis</c>: XPath F&amp;O 3.1 date/time pictures (§9.8) as jsonata-js 2.2.2
/// implements them, including its extensions (<c>[X]</c> ISO week-numbering year, <c>[x]</c> week-numbering month)
/// and its quirks, such as a negative half-hour timezone (<c>-0530</c>) being applied as -06:30.
/// </summary>
internal static class DateTimePicture
{
    private const string IntegerComponents = "YMDdFWwXxHhms";

    /// <summary>
    /// <c>$fromMillis(millis, picture?, timezone?)</c>. Without a picture the result is ISO 8601
    /// (<c>2017-11-07T15:07:54.972Z</c>), in the given timezone when there is one (<c>...+01:00</c>).
    /// </summary>
    /// <param name="millis">Milliseconds since the epoch (UTC).</param>
    /// <param name="picture">e.g. <c>[D01]/[M01]/[Y0001] [h#1]:[m01][P]</c>; null for ISO 8601.</param>
    /// <param name="timezone">Offset as <c>±HHMM</c> (read with JS <c>parseInt</c>, as jsonata-js does); null for UTC.</param>
    /// <exception cref="JsonataException">D3130–D3135 for an invalid picture.</exception>
    public static string Format(long millis, string? picture, string? timezone)
    {
        double offsetHours = 0, offsetMinutes = 0;
        if (timezone is not null)
        {
            var offset = EcmaScriptNumber.ParseInt(timezone);
            offsetHours = Math.Floor(offset / 100);
            offsetMinutes = offset % 100;
        }

        var spec = picture is null ? DateTimePictureSpec.Iso8601 : DateTimePictureSpec.For(picture);
        var offsetMillis = ((60 * offsetHours) + offsetMinutes) * 60 * 1000;
        var date = CalendarInstant.FromTime(millis + offsetMillis);

        var result = new StringBuilder();
        foreach (var part in spec.Parts)
        {
            if (part is DateTimeMarker marker)
            {
                result.Append(FormatComponent(date, marker, offsetHours, offsetMinutes));
            }
            else
            {
                result.Append((string)part);
            }
        }

        return result.ToString();
    }

    /// <summary><c>$toMillis(timestamp, picture?)</c> with the current time supplying unspecified leading fields.</summary>
    public static long? Parse(string timestamp, string? picture) =>
        Parse(timestamp, picture, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>
    /// <c>$toMillis(timestamp, picture?)</c>. Without a picture: ISO 8601 (D3110 when the text is not ISO 8601 in
    /// form). With a picture: the picture-driven parser; fields more significant than those given come from
    /// <paramref name="nowMillis"/> (the evaluation's fixed <c>$now()</c>), less significant ones default to zero.
    /// Returns null (undefined) when the text does not match the picture or names an invalid date.
    /// </summary>
    /// <exception cref="JsonataException">D3110, D3132, D3133, D3135, D3136.</exception>
    public static long? Parse(string timestamp, string? picture, long nowMillis)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        var millis = picture is null
            ? IsoTimestamp.Parse(timestamp)
            : DateTimePictureParser.Parse(timestamp, DateTimePictureSpec.For(picture), nowMillis);
        return millis is { } value && double.IsFinite(value) ? (long)value : null;
    }

    private static string FormatComponent(CalendarInstant date, DateTimeMarker marker, double offsetHours, double offsetMinutes)
    {
        var component = marker.Component;
        if (component.Length == 1 && IntegerComponents.Contains(component[0], StringComparison.Ordinal))
        {
            var value = CalendarFields.Numeric(date, component);
            if (component == "Y" && marker.YearDigits != -1)
            {
                value %= JsMath.Pow(10, marker.YearDigits);
            }

            if (marker.Names is { } names)
            {
                var name = component switch
                {
                    "M" or "x" => NameAt(CalendarFields.MonthNames, value - 1),
                    "F" => NameAt(CalendarFields.DayNames, value),
                    _ => throw FormattingErrors.Create("D3133", component),
                };
                name = names switch
                {
                    PictureCase.Upper => name.ToUpperInvariant(),
                    PictureCase.Lower => name.ToLowerInvariant(),
                    _ => name,
                };
                return marker.MaxWidth is { } max && name.Length > max ? name[..(int)max] : name;
            }

            return IntegerPicture.Format(value, marker.IntegerFormat!);
        }

        switch (component)
        {
            case "f":
                // jsonata-js formats milliseconds as an integer, not as a fraction (it leaves F&O §9.8.4.5 unimplemented).
                return IntegerPicture.Format(CalendarFields.Numeric(date, "f"), marker.IntegerFormat
                    ?? throw FormattingErrors.Create("D3133", component));
            case "Z" or "z":
                return FormatTimezone(marker, offsetHours, offsetMinutes);
            case "P":
                var meridiem = CalendarFields.Meridiem(date);
                return marker.Names == PictureCase.Upper ? meridiem.ToUpperInvariant() : meridiem;
            case "C" or "E":
                return "ISO";
            default:
                // A component letter with an explicit presentation but no meaning: jsonata-js prints "undefined".
                return "undefined";
        }
    }

    private static string FormatTimezone(DateTimeMarker marker, double offsetHours, double offsetMinutes)
    {
        var format = marker.IntegerFormat!;
        var offset = (offsetHours * 100) + offsetMinutes;
        string text;
        if (format.Regular)
        {
            text = IntegerPicture.Format(offset, format);
        }
        else
        {
            var digits = format.MandatoryDigits;
            if (digits is 1 or 2)
            {
                text = IntegerPicture.Format(offsetHours, format);
                if (offsetMinutes != 0)
                {
                    text += ":" + IntegerPicture.Format(Math.Floor(offsetMinutes), IntegerPictureFormat.Analyse("00"));
                }
            }
            else if (digits is 3 or 4)
            {
                text = IntegerPicture.Format(offset, format);
            }
            else
            {
                throw FormattingErrors.Create("D3134", digits);
            }
        }

        if (offset >= 0)
        {
            text = "+" + text;
        }

        if (marker.Component == "z")
        {
            text = "GMT" + text;
        }

        if (offset == 0 && marker.Presentation2 == "t")
        {
            text = "Z";
        }

        return text;
    }

    // JS array indexing: a missing entry reads as undefined, which string concatenation prints as "undefined".
    private static string NameAt(string[] names, double index) =>
        index >= 0 && index < names.Length && index == Math.Floor(index) ? names[(int)index] : "undefined";
}
