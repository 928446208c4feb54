using System.Globalization;
using System.Text;
using IntegrationHealth.Jsonata.Evaluation;

namespace IntegrationHealth.Jsonata.Values;

/// <summary>JSON serialisation with the rules of jsonata's <c>$string</c> (JSON.stringify with a replacer).</summary>
internal static class JsonText
{
    /// <summary>Serialises a value as <c>$string</c> does: non-integers to 15 significant digits, functions as "".
    /// With a <paramref name="context"/>, every value written counts as work, and every 64 characters written as one
    /// more, so serializing a large structure meets the deadline and the memory limit.</summary>
    public static string Stringify(object value, bool pretty, EvaluationContext? context = null)
    {
        var sb = new StringBuilder();
        Write(sb, value, pretty, 0, context);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, bool pretty, int indent, EvaluationContext? context)
    {
        if (context is not null)
        {
            var before = sb.Length;
            WriteValue(sb, value, pretty, indent, context);
            context.Work(1 + ((sb.Length - before) / 64));
        }
        else
        {
            WriteValue(sb, value, pretty, indent, null);
        }
    }

    private static void WriteValue(StringBuilder sb, object? value, bool pretty, int indent, EvaluationContext? context)
    {
        switch (value)
        {
            case null:
            case NullValue:
                sb.Append("null");
                break;
            case string s:
                WriteString(sb, s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case double d:
                if (double.IsInfinity(d))
                {
                    // jsonata's replacer runs isNumeric on every number, which rejects infinities.
                    throw new JsonataException("D1001", "Number out of range", value: d);
                }

                if (double.IsNaN(d))
                {
                    sb.Append("null");
                }
                else
                {
                    sb.Append(JsNumber.ToString(JsNumber.ToPrecision15(d)));
                }

                break;
            case FunctionValue:
                sb.Append("\"\"");
                break;
            case ArrayValue arr:
            {
                if (arr.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }

                sb.Append('[');
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    NewLine(sb, pretty, indent + 1);
                    // JSON.stringify writes null for undefined array slots.
                    Write(sb, arr[i], pretty, indent + 1, context);
                }

                NewLine(sb, pretty, indent);
                sb.Append(']');
                break;
            }

            case ObjectValue obj:
            {
                var first = true;
                sb.Append('{');
                foreach (var pair in obj)
                {
                    if (pair.Value is null)
                    {
                        continue;
                    }

                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    NewLine(sb, pretty, indent + 1);
                    WriteString(sb, pair.Key);
                    sb.Append(pretty ? ": " : ":");
                    Write(sb, pair.Value, pretty, indent + 1, context);
                }

                if (!first)
                {
                    NewLine(sb, pretty, indent);
                }

                sb.Append('}');
                break;
            }

            default:
                WriteString(sb, value.ToString() ?? "");
                break;
        }
    }

    /// <summary>Serialises a result exactly as JSON.stringify would (shortest round-trip numbers, functions dropped).</summary>
    public static string Serialize(object value)
    {
        if (value is FunctionValue)
        {
            return "\"\"";
        }

        var sb = new StringBuilder();
        WriteExact(sb, value);
        return sb.ToString();
    }

    private static void WriteExact(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null:
            case NullValue:
            case FunctionValue:
                sb.Append("null");
                break;
            case string s:
                WriteString(sb, s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case double d:
                sb.Append(double.IsFinite(d) ? JsNumber.ToString(d) : "null");
                break;
            case ArrayValue arr:
                sb.Append('[');
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    WriteExact(sb, arr[i]);
                }

                sb.Append(']');
                break;
            case ObjectValue obj:
            {
                sb.Append('{');
                var first = true;
                for (var i = 0; i < obj.Count; i++)
                {
                    var item = obj.ValueAt(i);
                    if (item is null or FunctionValue)
                    {
                        continue;
                    }

                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteString(sb, obj.KeyAt(i));
                    sb.Append(':');
                    WriteExact(sb, item);
                }

                sb.Append('}');
                break;
            }

            default:
                WriteString(sb, value.ToString() ?? "");
                break;
        }
    }

    private static void NewLine(StringBuilder sb, bool pretty, int indent)
    {
        if (pretty)
        {
            sb.Append('\n').Append(' ', indent * 2);
        }
    }

    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        sb.Append(c).Append(s[i + 1]);
                        i++;
                    }
                    else if (char.IsSurrogate(c))
                    {
                        // Well-formed JSON.stringify escapes lone surrogates.
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
