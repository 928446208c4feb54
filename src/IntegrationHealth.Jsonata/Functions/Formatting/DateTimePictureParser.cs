using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>
/// The picture-driven timestamp parser of jsonata-js (<c>parseDateTime</c>): the picture becomes one anchored,
/// case-insensitive regular expression with a group per literal or marker; the captured fields are then checked for
/// a complete date (Y-M-D or Y-d) and time (H-m-s-f or P-h-m-s-f) and defaulted around what was given.
/// </summary>
internal static class DateTimePictureParser
{
    // Fields of the dates and times a timestamp can be assembled from, as bit masks over "YXMxWwdD" and "PHhmsf".
    private const int DateYmd = 0b10100001;
    private const int DateYd = 0b10000010;
    private const int DateWeekOfMonth = 0b01010100;
    private const int DateWeekOfYear = 0b01001000;
    private const int TimeHms = 0b010111;
    private const int TimeMeridiem = 0b101111;

    private const int CacheLimit = 512;

    // Number words make the expression backtrack heavily on near-misses; bound the time spent on one match.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private static readonly ConcurrentDictionary<DateTimePictureSpec, Matcher> Matchers = new();

    private sealed record FieldMatcher(string Component, Func<string, double?> Read);

    private sealed record Matcher(Regex Expression, IReadOnlyList<FieldMatcher?> Fields);

    /// <summary>Parses <paramref name="timestamp"/>; null when it does not match; NaN for an impossible date.</summary>
    public static double? Parse(string timestamp, DateTimePictureSpec spec, long nowMillis)
    {
        var matcher = MatcherFor(spec);
        Match match;
        try
        {
            match = matcher.Expression.Match(timestamp);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new JsonataException("U1001", "Parsing the timestamp against the date/time picture took too long", value: timestamp);
        }

        if (!match.Success)
        {
            return null;
        }

        // A component present with a null value is JS "undefined" (e.g. an unknown month name).
        var components = new Dictionary<string, double?>(StringComparer.Ordinal);
        for (var i = 0; i < matcher.Fields.Count; i++)
        {
            if (matcher.Fields[i] is { } field)
            {
                components[field.Component] = field.Read(match.Groups[i + 1].Value);
            }
        }

        if (components.Count == 0)
        {
            return null;
        }

        return Assemble(components, CalendarInstant.FromTime(nowMillis));
    }

    private static double Assemble(Dictionary<string, double?> components, CalendarInstant now)
    {
        double? Get(string key) => components.TryGetValue(key, out var value) ? value : null;

        // JS truthiness: 0 and NaN count as "not given" when choosing the date and time forms.
        int Mask(string fields)
        {
            var mask = 0;
            foreach (var field in fields)
            {
                var value = Get(field.ToString());
                mask = (mask << 1) + (value is { } v && v != 0 && !double.IsNaN(v) ? 1 : 0);
            }

            return mask;
        }

        static bool IsType(int type, int mask) => (~type & mask) == 0 && (type & mask) != 0;

        var dateMask = Mask("YXMxWwdD");
        var dateYmd = IsType(DateYmd, dateMask);
        var dateYd = !dateYmd && IsType(DateYd, dateMask);
        var dateWeekOfMonth = IsType(DateWeekOfMonth, dateMask);
        var dateWeekOfYear = !dateWeekOfMonth && IsType(DateWeekOfYear, dateMask);
        var timeMask = Mask("PHhmsf");
        var timeMeridiem = !IsType(TimeHms, timeMask) && IsType(TimeMeridiem, timeMask);

        // jsonata-js lists "YD" (not "Yd") for the day-of-year form; kept, as it decides which fields default.
        var fields = (dateYd ? "YD" : dateWeekOfMonth ? "XxwF" : dateWeekOfYear ? "XWF" : "YMD") + (timeMeridiem ? "Phmsf" : "Hmsf");

        // Fields before the first given one come from now; fields after the last given one default to zero
        // (one for month and day); a gap between given fields is an error.
        bool startSpecified = false, endSpecified = false;
        foreach (var field in fields)
        {
            var key = field.ToString();
            if (Get(key) is null)
            {
                if (startSpecified)
                {
                    components[key] = "MDd".Contains(field, StringComparison.Ordinal) ? 1 : 0;
                    endSpecified = true;
                }
                else
                {
                    // now's P is the text "am"/"pm" in jsonata-js, never equal to 1; NaN stands in for it.
                    components[key] = CalendarFields.Numeric(now, key);
                }
            }
            else
            {
                startSpecified = true;
                if (endSpecified)
                {
                    throw FormattingErrors.Create("D3136");
                }
            }
        }

        var month = Get("M") is > 0 and var m ? m - 1 : 0;
        var day = Get("D") ?? double.NaN;
        var year = Get("Y") ?? double.NaN;
        if (dateYd)
        {
            var firstJan = CalendarInstant.DateUtc(year, 0);
            var derived = CalendarInstant.FromTime(firstJan + (((Get("d") ?? double.NaN) - 1) * CalendarInstant.MillisPerDay));
            month = derived.Month;
            day = derived.Day;
        }

        if (dateWeekOfMonth || dateWeekOfYear)
        {
            // jsonata-js does not support assembling a date from ISO week fields.
            throw FormattingErrors.Create("D3136");
        }

        var hours = Get("H") ?? double.NaN;
        if (timeMeridiem)
        {
            var h = Get("h") ?? double.NaN;
            hours = h == 12 ? 0 : h;
            if (Get("P") == 1)
            {
                hours += 12;
            }
        }

        var millis = CalendarInstant.DateUtc(year, month, day, hours, Get("m") ?? double.NaN, Get("s") ?? double.NaN, Get("f") ?? double.NaN);
        var zone = Get("Z") is { } z && z != 0 && !double.IsNaN(z) ? z : Get("z");
        if (zone is { } offsetMinutes && offsetMinutes != 0 && !double.IsNaN(offsetMinutes))
        {
            millis -= offsetMinutes * 60 * 1000;
        }

        return millis;
    }

    private static Matcher MatcherFor(DateTimePictureSpec spec)
    {
        if (Matchers.TryGetValue(spec, out var cached))
        {
            return cached;
        }

        var pattern = new StringBuilder("^");
        var fields = new List<FieldMatcher?>();
        foreach (var part in spec.Parts)
        {
            var (regex, field) = part is DateTimeMarker marker ? MarkerPattern(marker) : (Regex.Escape((string)part), null);
            pattern.Append('(').Append(regex).Append(')');
            fields.Add(field);
        }

        // \z, not $: JS '$' does not match before a trailing newline.
        pattern.Append(@"\z");
        var matcher = new Matcher(
            new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout), fields);
        if (Matchers.Count < CacheLimit)
        {
            Matchers.TryAdd(spec, matcher);
        }

        return matcher;
    }

    private static (string Regex, FieldMatcher Field) MarkerPattern(DateTimeMarker marker)
    {
        var component = marker.Component;
        if (component is "Z" or "z")
        {
            return TimezonePattern(marker);
        }

        if (component == "f")
        {
            return ("[0-9]+", new FieldMatcher(component, digits =>
                double.Parse("0." + digits[..Math.Min(3, digits.Length)], NumberStyles.Float, CultureInfo.InvariantCulture) * 1000));
        }

        if (marker.IntegerFormat is { } format)
        {
            return (IntegerPattern(format), new FieldMatcher(component, text => IntegerPicture.Parse(text, format)));
        }

        var lookup = new Dictionary<string, double>(StringComparer.Ordinal);
        string Truncate(string name) =>
            marker.MaxWidth is { } max && max > 0 && max < name.Length ? name[..(int)max] : name;
        switch (component)
        {
            case "M" or "x":
                for (var i = 0; i < CalendarFields.MonthNames.Length; i++)
                {
                    lookup[Truncate(CalendarFields.MonthNames[i])] = i + 1;
                }

                break;
            case "F":
                for (var i = 1; i < CalendarFields.DayNames.Length; i++)
                {
                    lookup[Truncate(CalendarFields.DayNames[i])] = i;
                }

                break;
            case "P":
                lookup["am"] = 0;
                lookup["AM"] = 0;
                lookup["pm"] = 1;
                lookup["PM"] = 1;
                break;
            default:
                throw FormattingErrors.Create("D3133", component);
        }

        // The match is case-insensitive but the name lookup is exact, as in jsonata-js ("MARCH" for [MNn] is no month).
        return ("[a-zA-Z]+", new FieldMatcher(component, name => lookup.TryGetValue(name, out var value) ? value : null));
    }

    private static string IntegerPattern(IntegerPictureFormat format)
    {
        var upper = format.Case == PictureCase.Upper;
        switch (format.Presentation)
        {
            case IntegerPresentation.Letters:
                return upper ? "[A-Z]+" : "[a-z]+";
            case IntegerPresentation.Roman:
                return upper ? "[MDCLXVI]+" : "[mdclxvi]+";
            case IntegerPresentation.Words:
                return EnglishNumberWords.MatchPattern;
            case IntegerPresentation.Decimal:
                var width = format.ParseWidth is { } w && w != 0 && !double.IsNaN(w)
                    ? "{" + w.ToString(CultureInfo.InvariantCulture) + "}"
                    : "+";
                return "[0-9]" + width + (format.Ordinal ? "(?:th|st|nd|rd)" : "");
            default:
                throw FormattingErrors.Create("D3130", format.Token);
        }
    }

    private static (string Regex, FieldMatcher Field) TimezonePattern(DateTimeMarker marker)
    {
        var format = marker.IntegerFormat!;
        var separator = format.Regular ? format.RegularSeparator.Text : null;
        var gmt = marker.Component == "z";
        var regex = (gmt ? "GMT" : "") + "[-+][0-9]+" + (separator is null ? "" : Regex.Escape(separator) + "[0-9]+");
        return (regex, new FieldMatcher(marker.Component, text =>
        {
            var value = gmt ? text[3..] : text;
            double hours, minutes = 0;
            if (separator is not null)
            {
                var at = value.IndexOf(separator, StringComparison.Ordinal);
                hours = EcmaScriptNumber.ParseInt(value[..at]);
                minutes = EcmaScriptNumber.ParseInt(value[(at + separator.Length)..]);
            }
            else if (value.Length - 1 <= 2)
            {
                hours = EcmaScriptNumber.ParseInt(value);
            }
            else
            {
                hours = EcmaScriptNumber.ParseInt(value[..3]);
                minutes = EcmaScriptNumber.ParseInt(value[3..]);
            }

            // Minutes are added even for negative offsets (-05:30 reads as -270), as in jsonata-js.
            return (hours * 60) + minutes;
        }));
    }
}
