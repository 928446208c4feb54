namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>
/// One analysed sub-picture of a <c>$formatNumber</c> picture (F&amp;O 3.1 §4.7.3–4.7.4 as jsonata-js reads them):
/// prefix, suffix, grouping positions and digit counts.
/// </summary>
internal sealed record NumberSubPicture
{
    public required string Picture { get; init; }

    public required string Prefix { get; init; }

    public required string Suffix { get; init; }

    public required IReadOnlyList<int> IntegerGroupingPositions { get; init; }

    /// <summary>Interval of regular integer grouping, or 0 when irregular or absent.</summary>
    public required int RegularGrouping { get; init; }

    public required IReadOnlyList<int> FractionalGroupingPositions { get; init; }

    public required int MinimumIntegerPartSize { get; init; }

    /// <summary>Digits before the decimal point in exponent notation (the mantissa's integer digits).</summary>
    public required int ScalingFactor { get; init; }

    public required int MinimumFractionalPartSize { get; init; }

    public required int MaximumFractionalPartSize { get; init; }

    /// <summary>Minimum exponent digits; 0 means no exponent.</summary>
    public required int MinimumExponentSize { get; init; }

    /// <summary>Splits, validates (D3081–D3093) and analyses one sub-picture.</summary>
    public static NumberSubPicture Analyse(string subPicture, DecimalFormat format)
    {
        var parts = Split(subPicture, format);
        Validate(parts, format);
        return Analyse(parts, format);
    }

    private sealed record Parts(
        string SubPicture, string Prefix, string Suffix, string ActivePart, string MantissaPart, string? ExponentPart,
        string IntegerPart, string FractionalPart);

    private static Parts Split(string sub, DecimalFormat format)
    {
        var prefix = "";
        for (var i = 0; i < sub.Length; i++)
        {
            if (format.IsActive(sub[i]) && !DecimalFormat.Is(sub[i], format.ExponentSeparator))
            {
                prefix = sub[..i];
                break;
            }
        }

        var suffix = "";
        for (var i = sub.Length - 1; i >= 0; i--)
        {
            if (format.IsActive(sub[i]) && !DecimalFormat.Is(sub[i], format.ExponentSeparator))
            {
                suffix = sub[(i + 1)..];
                break;
            }
        }

        var activePart = JsText.Substring(sub, prefix.Length, sub.Length - suffix.Length);
        string mantissa;
        string? exponent;

        // jsonata-js finds the separator's index in the whole sub-picture and then cuts the active part with it;
        // kept as is, since the two only differ when a prefix exists.
        var exponentPosition = JsText.IndexOf(sub, format.ExponentSeparator, prefix.Length);
        if (exponentPosition == -1 || exponentPosition > sub.Length - suffix.Length)
        {
            mantissa = activePart;
            exponent = null;
        }
        else
        {
            mantissa = JsText.Substring(activePart, 0, exponentPosition);
            exponent = JsText.Substring(activePart, exponentPosition + 1);
        }

        var decimalPosition = JsText.IndexOf(mantissa, format.DecimalSeparator);
        var (integerPart, fractionalPart) = decimalPosition == -1
            ? (mantissa, suffix) // sic: jsonata-js takes the suffix as the fractional part when there is no decimal point
            : (JsText.Substring(mantissa, 0, decimalPosition), JsText.Substring(mantissa, decimalPosition + 1));
        return new Parts(sub, prefix, suffix, activePart, mantissa, exponent, integerPart, fractionalPart);
    }

    private static void Validate(Parts parts, DecimalFormat format)
    {
        // jsonata-js checks every rule and reports the last one broken, not the first.
        string? error = null;
        var sub = parts.SubPicture;
        var decimalPos = JsText.IndexOf(sub, format.DecimalSeparator);
        if (decimalPos != JsText.LastIndexOf(sub, format.DecimalSeparator))
        {
            error = "D3081";
        }

        var percentPos = JsText.IndexOf(sub, format.Percent);
        if (percentPos != JsText.LastIndexOf(sub, format.Percent))
        {
            error = "D3082";
        }

        var perMillePos = JsText.IndexOf(sub, format.PerMille);
        if (perMillePos != JsText.LastIndexOf(sub, format.PerMille))
        {
            error = "D3083";
        }

        if (percentPos != -1 && perMillePos != -1)
        {
            error = "D3084";
        }

        if (!parts.MantissaPart.Any(format.IsDigitSign))
        {
            error = "D3085";
        }

        if (!parts.ActivePart.All(format.IsActive))
        {
            error = "D3086";
        }

        var grouping = format.GroupingSeparator;
        if (decimalPos != -1)
        {
            if (JsText.CharAt(sub, decimalPos - 1) == grouping || JsText.CharAt(sub, decimalPos + 1) == grouping)
            {
                error = "D3087";
            }
        }
        else if (JsText.CharAt(parts.IntegerPart, parts.IntegerPart.Length - 1) == grouping)
        {
            error = "D3088";
        }

        if (JsText.IndexOf(sub, grouping + grouping) != -1)
        {
            error = "D3089";
        }

        var optionalDigitPos = JsText.IndexOf(parts.IntegerPart, format.Digit);
        if (optionalDigitPos != -1 && parts.IntegerPart[..optionalDigitPos].Any(format.IsFamilyDigit))
        {
            error = "D3090";
        }

        optionalDigitPos = JsText.LastIndexOf(parts.FractionalPart, format.Digit);
        if (optionalDigitPos != -1 && JsText.Substring(parts.FractionalPart, optionalDigitPos).Any(format.IsFamilyDigit))
        {
            error = "D3091";
        }

        if (parts.ExponentPart is { Length: > 0 } && (percentPos != -1 || perMillePos != -1))
        {
            error = "D3092";
        }

        if (parts.ExponentPart is { } exponent && (exponent.Length == 0 || !exponent.All(format.IsFamilyDigit)))
        {
            error = "D3093";
        }

        if (error is not null)
        {
            throw FormattingErrors.Create(error);
        }
    }

    private static NumberSubPicture Analyse(Parts parts, DecimalFormat format)
    {
        var integerPositions = GroupingPositions(parts.IntegerPart, parts.IntegerPart, toLeft: false, format);
        var fractionalPositions = GroupingPositions(parts.FractionalPart, parts.IntegerPart, toLeft: true, format);

        var minimumInteger = parts.IntegerPart.Count(format.IsFamilyDigit);
        var scalingFactor = minimumInteger;
        var minimumFractional = parts.FractionalPart.Count(format.IsFamilyDigit);
        var maximumFractional = parts.FractionalPart.Count(format.IsDigitSign);
        var exponentPresent = parts.ExponentPart is not null;
        if (minimumInteger == 0 && maximumFractional == 0)
        {
            if (exponentPresent)
            {
                minimumFractional = 1;
                maximumFractional = 1;
            }
            else
            {
                minimumInteger = 1;
            }
        }

        if (exponentPresent && minimumInteger == 0 && JsText.IndexOf(parts.IntegerPart, format.Digit) != -1)
        {
            minimumInteger = 1;
        }

        if (minimumInteger == 0 && minimumFractional == 0)
        {
            minimumFractional = 1;
        }

        return new NumberSubPicture
        {
            Picture = parts.SubPicture,
            Prefix = parts.Prefix,
            Suffix = parts.Suffix,
            IntegerGroupingPositions = integerPositions,
            RegularGrouping = IntegerPictureFormat.RegularInterval(integerPositions),
            FractionalGroupingPositions = fractionalPositions,
            MinimumIntegerPartSize = minimumInteger,
            ScalingFactor = scalingFactor,
            MinimumFractionalPartSize = minimumFractional,
            MaximumFractionalPartSize = maximumFractional,
            MinimumExponentSize = exponentPresent ? parts.ExponentPart!.Count(format.IsFamilyDigit) : 0,
        };
    }

    // For each grouping separator, the digit signs to its right (integer part) or left (fractional part).
    // Like jsonata-js, the search for the next separator always runs in the integer part.
    private static List<int> GroupingPositions(string part, string integerPart, bool toLeft, DecimalFormat format)
    {
        var positions = new List<int>();
        var separator = format.GroupingSeparator;
        if (separator.Length == 0)
        {
            return positions; // rejected by validation (D3089); guarded so the search below always advances
        }

        var position = JsText.IndexOf(part, separator);
        while (position != -1)
        {
            var side = toLeft ? JsText.Substring(part, 0, position) : JsText.Substring(part, position);
            positions.Add(side.Count(format.IsDigitSign));
            position = JsText.IndexOf(integerPart, separator, position + 1);
        }

        return positions;
    }
}
