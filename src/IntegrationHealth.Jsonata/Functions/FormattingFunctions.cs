using IntegrationHealth.Jsonata.Functions.Formatting;
using IntegrationHealth.Jsonata.Values;
using static IntegrationHealth.Jsonata.Functions.BuiltinLibrary;

namespace IntegrationHealth.Jsonata.Functions;

/// <summary>
/// Argument handling for the picture-string functions; the formatting itself lives in <c>Functions/Formatting</c>.
/// </summary>
internal static class FormattingFunctions
{
    public static object? FormatNumber(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not double value)
        {
            return null;
        }

        Dictionary<string, string>? options = null;
        if (Arg(args, 2) is ObjectValue obj)
        {
            options = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in obj)
            {
                if (pair.Value is string s)
                {
                    options[pair.Key] = s;
                }
            }
        }

        return NumberPicture.Format(value, RequiredString(args, 1), options);
    }

    public static object? FormatInteger(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not double value)
        {
            return null;
        }

        return IntegerPicture.Format(Math.Floor(value), RequiredString(args, 1));
    }

    public static object? ParseInteger(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not string value)
        {
            return null;
        }

        // The analysed-picture overload keeps jsonata-js's NaN for text that does not fit the picture: NaN is a value
        // inside an expression (and JSON null in the output), not undefined.
        return IntegerPicture.Parse(value, IntegerPictureFormat.Analyse(RequiredString(args, 1)));
    }

    public static object? FromMillis(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not double millis)
        {
            return null;
        }

        return DateTimePicture.Format((long)Math.Floor(millis), Arg(args, 1) as string, Arg(args, 2) as string);
    }

    public static object? ToMillis(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not string timestamp)
        {
            return null;
        }

        var millis = DateTimePicture.Parse(timestamp, Arg(args, 1) as string, site.Context.TimestampMillis);
        return millis is { } m ? (double)m : null;
    }

    public static object? Now(in CallSite site, object?[] args) =>
        DateTimePicture.Format(site.Context.TimestampMillis, Arg(args, 0) as string, Arg(args, 1) as string);

    public static object? Millis(in CallSite site, object?[] args) => (double)site.Context.TimestampMillis;
}
