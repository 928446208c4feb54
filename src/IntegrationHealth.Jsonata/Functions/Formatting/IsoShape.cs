namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>
/// jsonata-js's ISO 8601 shape check for <c>$toMillis</c>,
/// <c>^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$</c> with ASCII digits and
/// a true end anchor, matched by hand: a regex match allocates a match and its groups (measured: about 1.3 KB per
/// call), which was half of what mapping records with a timestamp allocated. The optional parts are tried in the
/// regex's order, each taken before it is skipped, so the captures are the ones the regex reports (for example
/// "2018-05-0530" is May 2018 at offset -05:30, not the 5th of May followed by junk).
/// </summary>
internal struct IsoShape
{
    /// <summary>Where a part was found: <see cref="Start"/> and <see cref="Length"/> in the text, unless not <see cref="Success"/>.</summary>
    public readonly record struct Capture(int Start, int Length)
    {
        public bool Success => Length > 0;

        public ReadOnlySpan<char> Of(ReadOnlySpan<char> text) => text.Slice(Start, Length);
    }

    public Capture Year;
    public Capture Month;
    public Capture Day;

    /// <summary>"Thh:mm:ss".</summary>
    public Capture Time;

    /// <summary>The dot and its digits.</summary>
    public Capture Fraction;

    /// <summary>"Z" or a signed offset.</summary>
    public Capture Zone;

    /// <summary>True when <paramref name="text"/> has the shape; <paramref name="shape"/> then holds its parts.</summary>
    public static bool TryMatch(string text, out IsoShape shape)
    {
        shape = default;
        if (text.Length < 4 || !IsDigits(text, 0, 4))
        {
            return false;
        }

        shape.Year = new Capture(0, 4);
        return MatchFrom(text, 4, 0, ref shape);
    }

    /// <summary>Parts from <paramref name="part"/> on (0 month, 1 day, 2 time, 3 fraction, 4 zone, 5 the end) at
    /// <paramref name="position"/>: each optional part is first taken (when it matches here), then skipped.</summary>
    private static bool MatchFrom(string text, int position, int part, ref IsoShape shape)
    {
        if (part == 5)
        {
            return position == text.Length;
        }

        var length = PartLength(text, position, part);
        if (length > 0)
        {
            var saved = shape;
            // The month and day captures leave out their dash, as the regex's groups do.
            Set(ref shape, part, part <= 1 ? new Capture(position + 1, length - 1) : new Capture(position, length));
            if (MatchFrom(text, position + length, part + 1, ref shape))
            {
                return true;
            }

            shape = saved;
        }

        return MatchFrom(text, position, part + 1, ref shape);
    }

    /// <summary>The length of <paramref name="part"/> matched at <paramref name="at"/>, or 0 when it does not match
    /// there. Each part has only one way to match (the fraction's digits are greedy, and a shorter fraction would leave
    /// a digit that neither the zone nor the end accepts; the zone's optional colon is taken when present, and without
    /// it the colon would have to be a digit).</summary>
    private static int PartLength(string text, int at, int part)
    {
        var rest = text.Length - at;
        switch (part)
        {
            case 0: // -[01]\d
                return rest >= 3 && text[at] == '-' && text[at + 1] is '0' or '1' && IsDigit(text[at + 2]) ? 3 : 0;
            case 1: // -[0-3]\d
                return rest >= 3 && text[at] == '-' && text[at + 1] is >= '0' and <= '3' && IsDigit(text[at + 2]) ? 3 : 0;
            case 2: // T[0-2]\d:[0-5]\d:[0-5]\d
                return rest >= 9 && text[at] == 'T' && text[at + 1] is >= '0' and <= '2' && IsDigit(text[at + 2])
                       && text[at + 3] == ':' && IsSexagesimal(text, at + 4) && text[at + 6] == ':' && IsSexagesimal(text, at + 7) ? 9 : 0;
            case 3: // \.\d+
            {
                if (rest < 2 || text[at] != '.' || !IsDigit(text[at + 1]))
                {
                    return 0;
                }

                var end = at + 2;
                while (end < text.Length && IsDigit(text[end]))
                {
                    end++;
                }

                return end - at;
            }

            default: // [+-][0-2]\d:?[0-5]\d|Z
                if (rest >= 1 && text[at] == 'Z')
                {
                    return 1;
                }

                if (rest < 5 || text[at] is not ('+' or '-') || text[at + 1] is not (>= '0' and <= '2') || !IsDigit(text[at + 2]))
                {
                    return 0;
                }

                if (text[at + 3] == ':')
                {
                    return rest >= 6 && IsSexagesimal(text, at + 4) ? 6 : 0;
                }

                return IsSexagesimal(text, at + 3) ? 5 : 0;
        }
    }

    private static void Set(ref IsoShape shape, int part, Capture capture)
    {
        switch (part)
        {
            case 0:
                shape.Month = capture;
                break;
            case 1:
                shape.Day = capture;
                break;
            case 2:
                shape.Time = capture;
                break;
            case 3:
                shape.Fraction = capture;
                break;
            default:
                shape.Zone = capture;
                break;
        }
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsDigits(string text, int at, int count)
    {
        for (var i = at; i < at + count; i++)
        {
            if (!IsDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>[0-5]\d at <paramref name="at"/> (the caller has checked there are two characters).</summary>
    private static bool IsSexagesimal(string text, int at) => text[at] is >= '0' and <= '5' && IsDigit(text[at + 1]);
}
