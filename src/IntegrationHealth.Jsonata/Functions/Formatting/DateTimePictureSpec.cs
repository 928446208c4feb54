using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>One variable marker of a date/time picture, e.g. <c>[D1o]</c>, <c>[MNn,3-3]</c>, <c>[Z01:01t]</c>.</summary>
internal sealed class DateTimeMarker
{
    public required string Component { get; init; }

    public required string Presentation1 { get; init; }

    /// <summary>Second presentation modifier: <c>a</c>, <c>t</c>, <c>c</c> or <c>o</c> (ordinal).</summary>
    public string? Presentation2 { get; init; }

    /// <summary>Set when the marker asks for names (first modifier starting with <c>n</c> / <c>N</c>).</summary>
    public PictureCase? Names { get; init; }

    /// <summary>True when the marker has a width modifier (after a comma).</summary>
    public bool HasWidth { get; init; }

    /// <summary>Minimum width; null for <c>*</c> or absent, NaN for an unparsable width (as JS <c>parseInt</c>).</summary>
    public double? MinWidth { get; init; }

    /// <summary>Maximum width; null for <c>*</c> or absent, NaN for an unparsable width.</summary>
    public double? MaxWidth { get; init; }

    /// <summary>Integer presentation for numeric components and the timezone.</summary>
    public IntegerPictureFormat? IntegerFormat { get; init; }

    /// <summary>For Y: the number of low-order digits to keep, -1 for all (F&amp;O §9.8.4.4).</summary>
    public double YearDigits { get; init; } = -1;
}

/// <summary>
/// An analysed date/time picture (F&amp;O 3.1 §9.8.4.1): literals and markers. Immutable once built, so analysed
/// pictures are cached and shared.
/// </summary>
internal sealed class DateTimePictureSpec
{
    private const string IntegerComponents = "YMDdFWwXxHhmsf";

    private const int CacheLimit = 512;

    private static readonly ConcurrentDictionary<string, DateTimePictureSpec> Cache = new(StringComparer.Ordinal);

    private static readonly Regex Whitespace = new(@"\s+", RegexOptions.CultureInvariant);

    private DateTimePictureSpec(IReadOnlyList<object> parts) => Parts = parts;

    /// <summary>The ISO 8601 picture used when <c>$fromMillis</c> gets no picture.</summary>
    public static DateTimePictureSpec Iso8601 { get; } = Analyse("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]");

    /// <summary>Literal strings and <see cref="DateTimeMarker"/>s, in picture order.</summary>
    public IReadOnlyList<object> Parts { get; }

    /// <summary>The analysed form of <paramref name="picture"/>, from a bounded cache.</summary>
    public static DateTimePictureSpec For(string picture)
    {
        if (Cache.TryGetValue(picture, out var cached))
        {
            return cached;
        }

        var spec = Analyse(picture);
        if (Cache.Count < CacheLimit)
        {
            Cache.TryAdd(picture, spec);
        }

        return spec;
    }

    /// <summary>Parses a picture into literals and markers.</summary>
    /// <exception cref="JsonataException">D3135 (unclosed marker), D3132 (unknown component), D3131.</exception>
    public static DateTimePictureSpec Analyse(string picture)
    {
        var parts = new List<object>();
        void AddLiteral(int start, int end)
        {
            if (end > start)
            {
                parts.Add(picture[start..end].Replace("]]", "]", StringComparison.Ordinal));
            }
        }

        int start = 0, pos = 0;
        while (pos < picture.Length)
        {
            if (picture[pos] == '[')
            {
                if (pos + 1 < picture.Length && picture[pos + 1] == '[')
                {
                    AddLiteral(start, pos);
                    parts.Add("[");
                    pos += 2;
                    start = pos;
                    continue;
                }

                AddLiteral(start, pos);
                start = pos;
                pos = picture.IndexOf(']', start);
                if (pos == -1)
                {
                    throw FormattingErrors.Create("D3135");
                }

                var marker = AnalyseMarker(Whitespace.Replace(picture[(start + 1)..pos], ""), parts);
                parts.Add(marker);
                start = pos + 1;
            }

            pos++;
        }

        AddLiteral(start, pos);
        return new DateTimePictureSpec(parts);
    }

    private static DateTimeMarker AnalyseMarker(string marker, List<object> partsSoFar)
    {
        var component = JsText.CharAt(marker, 0);
        string presentation;
        bool hasWidth = false;
        double? minWidth = null, maxWidth = null;
        var comma = marker.LastIndexOf(',');
        if (comma != -1)
        {
            hasWidth = true;
            var widthModifier = marker[(comma + 1)..];
            var dash = widthModifier.IndexOf('-', StringComparison.Ordinal);
            if (dash == -1)
            {
                minWidth = ParseWidth(widthModifier);
            }
            else
            {
                minWidth = ParseWidth(widthModifier[..dash]);
                maxWidth = ParseWidth(widthModifier[(dash + 1)..]);
            }

            presentation = JsText.Substring(marker, 1, comma);
        }
        else
        {
            presentation = JsText.Substring(marker, 1);
        }

        string? presentation1;
        string? presentation2 = null;
        if (presentation.Length == 1)
        {
            presentation1 = presentation;
        }
        else if (presentation.Length > 1 && "atco".Contains(presentation[^1], StringComparison.Ordinal))
        {
            presentation2 = presentation[^1].ToString();
            presentation1 = presentation[..^1];
        }
        else if (presentation.Length > 1)
        {
            presentation1 = presentation;
        }
        else
        {
            presentation1 = DefaultPresentation(component);
        }

        if (presentation1 is null)
        {
            throw FormattingErrors.Create("D3132", component);
        }

        PictureCase? names = presentation1.Length == 0 ? null : presentation1[0] switch
        {
            'n' => PictureCase.Lower,
            'N' => presentation1.Length > 1 && presentation1[1] == 'n' ? PictureCase.Title : PictureCase.Upper,
            _ => null,
        };

        IntegerPictureFormat? integerFormat = null;
        double yearDigits = -1;
        if (names is null && component.Length == 1 && IntegerComponents.Contains(component[0], StringComparison.Ordinal))
        {
            integerFormat = IntegerPictureFormat.Analyse(presentation2 is null ? presentation1 : presentation1 + ";" + presentation2);
            if (hasWidth && minWidth is { } min && integerFormat.MandatoryDigits is { } mandatory && mandatory < min)
            {
                integerFormat.MandatoryDigits = min;
            }

            if (component == "Y")
            {
                // F&O §9.8.4.4: a width, or a digit pattern of two or more digits, keeps only that many low-order digits.
                if (hasWidth && maxWidth is { } max)
                {
                    yearDigits = max;
                    integerFormat.MandatoryDigits = max;
                }
                else
                {
                    var width = (integerFormat.MandatoryDigits ?? double.NaN) + (integerFormat.OptionalDigits ?? double.NaN);
                    if (width >= 2)
                    {
                        yearDigits = width;
                    }
                }
            }

            // Two integer markers with nothing between them: the first must be parsed at its exact width.
            if (partsSoFar.Count > 0 && partsSoFar[^1] is DateTimeMarker { IntegerFormat: { } previous })
            {
                previous.ParseWidth = previous.MandatoryDigits;
            }
        }

        if (component is "Z" or "z")
        {
            integerFormat = IntegerPictureFormat.Analyse(presentation1);
        }

        return new DateTimeMarker
        {
            Component = component,
            Presentation1 = presentation1,
            Presentation2 = presentation2,
            Names = names,
            HasWidth = hasWidth,
            MinWidth = minWidth,
            MaxWidth = maxWidth,
            IntegerFormat = integerFormat,
            YearDigits = yearDigits,
        };
    }

    // "*" or absent means unbounded; otherwise JS parseInt (so "3x" is 3 and "x" is NaN).
    private static double? ParseWidth(string width) => width == "*" ? null : EcmaScriptNumber.ParseInt(width);

    private static string? DefaultPresentation(string component) => component switch
    {
        "Y" or "M" or "D" or "d" or "W" or "w" or "X" or "x" or "H" or "h" or "f" => "1",
        "F" or "P" or "C" or "E" => "n",
        "m" or "s" => "01",
        "Z" or "z" => "01:01",
        _ => null,
    };
}
