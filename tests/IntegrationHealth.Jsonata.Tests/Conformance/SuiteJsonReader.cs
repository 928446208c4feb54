using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Tests.Conformance;

/// <summary>
/// A small JSON reader for the case files: unlike System.Text.Json it accepts escaped lone surrogates
/// (e.g. <c>"\uD800"</c>), which some cases use to test JavaScript's UTF-16 string semantics.
/// </summary>
public static class SuiteJsonReader
{
    public static JsonNode? Parse(string text)
    {
        var position = 0;
        var value = ReadValue(text, ref position);
        SkipWhitespace(text, ref position);
        if (position != text.Length)
        {
            throw new FormatException($"Unexpected trailing content at {position}");
        }

        return value;
    }

    private static void SkipWhitespace(string s, ref int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }
    }

    private static JsonNode? ReadValue(string s, ref int i)
    {
        SkipWhitespace(s, ref i);
        switch (s[i])
        {
            case '{':
            {
                var obj = new JsonObject();
                i++;
                SkipWhitespace(s, ref i);
                if (s[i] == '}')
                {
                    i++;
                    return obj;
                }

                while (true)
                {
                    SkipWhitespace(s, ref i);
                    var key = ReadString(s, ref i);
                    SkipWhitespace(s, ref i);
                    Expect(s, ref i, ':');
                    obj[key] = ReadValue(s, ref i);
                    SkipWhitespace(s, ref i);
                    if (s[i] == ',')
                    {
                        i++;
                        continue;
                    }

                    Expect(s, ref i, '}');
                    return obj;
                }
            }

            case '[':
            {
                var arr = new JsonArray();
                i++;
                SkipWhitespace(s, ref i);
                if (s[i] == ']')
                {
                    i++;
                    return arr;
                }

                while (true)
                {
                    arr.Add(ReadValue(s, ref i));
                    SkipWhitespace(s, ref i);
                    if (s[i] == ',')
                    {
                        i++;
                        continue;
                    }

                    Expect(s, ref i, ']');
                    return arr;
                }
            }

            case '"':
                return JsonValue.Create(ReadString(s, ref i));
            case 't':
                i += 4;
                return JsonValue.Create(true);
            case 'f':
                i += 5;
                return JsonValue.Create(false);
            case 'n':
                i += 4;
                return null;
            default:
            {
                var start = i;
                while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] is '-' or '+' or '.' or 'e' or 'E'))
                {
                    i++;
                }

                return JsonValue.Create(double.Parse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture));
            }
        }
    }

    private static void Expect(string s, ref int i, char c)
    {
        if (s[i] != c)
        {
            throw new FormatException($"Expected '{c}' at {i}");
        }

        i++;
    }

    private static string ReadString(string s, ref int i)
    {
        Expect(s, ref i, '"');
        var sb = new StringBuilder();
        while (s[i] != '"')
        {
            var c = s[i++];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            var e = s[i++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'u':
                    sb.Append((char)int.Parse(s.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: sb.Append(e); break;
            }
        }

        i++;
        return sb.ToString();
    }
}
