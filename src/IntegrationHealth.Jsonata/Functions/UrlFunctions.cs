using System.Text;
using IntegrationHealth.Jsonata.Values;
using static IntegrationHealth.Jsonata.Functions.BuiltinLibrary;

namespace IntegrationHealth.Jsonata.Functions;

/// <summary>Base64 (over Latin-1, like Node's 'binary' encoding) and JavaScript's URI encode/decode functions.</summary>
internal static class UrlFunctions
{
    private const string ComponentUnreserved = "-_.!~*'()";
    private const string UriReserved = ";,/?:@&=+$#";

    public static object? Base64Encode(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not string str)
        {
            return null;
        }

        var bytes = new byte[str.Length];
        for (var i = 0; i < str.Length; i++)
        {
            bytes[i] = (byte)str[i];
        }

        return Convert.ToBase64String(bytes);
    }

    public static object? Base64Decode(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not string str)
        {
            return null;
        }

        var clean = new StringBuilder();
        foreach (var c in str)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '+' or '/')
            {
                clean.Append(c);
            }
            else if (c is '-')
            {
                clean.Append('+');
            }
            else if (c is '_')
            {
                clean.Append('/');
            }
            else if (c == '=')
            {
                break;
            }
        }

        if (clean.Length % 4 == 1)
        {
            clean.Length--;
        }

        while (clean.Length % 4 != 0)
        {
            clean.Append('=');
        }

        var bytes = Convert.FromBase64String(clean.ToString());
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            sb.Append((char)b);
        }

        return sb.ToString();
    }

    public static object? EncodeUrlComponent(in CallSite site, object?[] args) => Encode(Arg(args, 0) as string, "", "encodeUrlComponent");

    public static object? EncodeUrl(in CallSite site, object?[] args) => Encode(Arg(args, 0) as string, UriReserved, "encodeUrl");

    public static object? DecodeUrlComponent(in CallSite site, object?[] args) => Decode(Arg(args, 0) as string, "", "decodeUrlComponent");

    public static object? DecodeUrl(in CallSite site, object?[] args) => Decode(Arg(args, 0) as string, UriReserved, "decodeUrl");

    private static JsonataException Malformed(string functionName, string value) =>
        new("D3140", $"Malformed URL passed to ${functionName}(): \"{value}\"", value: value);

    private static string? Encode(string? str, string alsoUnescaped, string functionName)
    {
        if (str is null)
        {
            return null;
        }

        var sb = new StringBuilder(str.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < str.Length; i++)
        {
            var c = str[i];
            if (char.IsAsciiLetterOrDigit(c) || ComponentUnreserved.Contains(c) || alsoUnescaped.Contains(c))
            {
                sb.Append(c);
                continue;
            }

            int codePoint;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= str.Length || !char.IsLowSurrogate(str[i + 1]))
                {
                    throw Malformed(functionName, str);
                }

                codePoint = char.ConvertToUtf32(c, str[i + 1]);
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                throw Malformed(functionName, str);
            }
            else
            {
                codePoint = c;
            }

            var length = new Rune(codePoint).EncodeToUtf8(utf8);
            for (var b = 0; b < length; b++)
            {
                sb.Append('%').Append(utf8[b].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static string? Decode(string? str, string reserved, string functionName)
    {
        if (str is null)
        {
            return null;
        }

        var sb = new StringBuilder(str.Length);
        for (var i = 0; i < str.Length; i++)
        {
            var c = str[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }

            var first = ReadHexByte(str, i) ?? throw Malformed(functionName, str);
            if (first < 0x80)
            {
                var ch = (char)first;
                if (reserved.Contains(ch))
                {
                    sb.Append(str, i, 3);
                }
                else
                {
                    sb.Append(ch);
                }

                i += 2;
                continue;
            }

            var count = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 0;
            if (count == 0)
            {
                throw Malformed(functionName, str);
            }

            var bytes = new byte[count];
            bytes[0] = first;
            for (var k = 1; k < count; k++)
            {
                var pos = i + (3 * k);
                if (pos >= str.Length || str[pos] != '%')
                {
                    throw Malformed(functionName, str);
                }

                bytes[k] = ReadHexByte(str, pos) is { } b && (b & 0xC0) == 0x80 ? b : throw Malformed(functionName, str);
            }

            if (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) != System.Buffers.OperationStatus.Done || consumed != count)
            {
                throw Malformed(functionName, str);
            }

            sb.Append(rune.ToString());
            i += (3 * count) - 1;
        }

        return sb.ToString();
    }

    private static byte? ReadHexByte(string s, int percentIndex)
    {
        if (percentIndex + 2 >= s.Length || !char.IsAsciiHexDigit(s[percentIndex + 1]) || !char.IsAsciiHexDigit(s[percentIndex + 2]))
        {
            return null;
        }

        return Convert.ToByte(s.Substring(percentIndex + 1, 2), 16);
    }
}
