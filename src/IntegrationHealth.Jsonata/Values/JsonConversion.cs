using System.Text.Json;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Values;

/// <summary>Converts between System.Text.Json documents and the evaluator's value model (once in, once out).</summary>
internal static class JsonConversion
{
    public static object? FromNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return NullValue.Instance;
            case JsonObject obj:
            {
                var result = new ObjectValue(obj.Count);
                foreach (var pair in obj)
                {
                    result[pair.Key] = FromNode(pair.Value);
                }

                return result;
            }

            case JsonArray arr:
            {
                var result = new ArrayValue(arr.Count);
                foreach (var item in arr)
                {
                    result.Add(FromNode(item));
                }

                return result;
            }

            case JsonValue value:
                return value.GetValueKind() switch
                {
                    JsonValueKind.String => value.GetValue<string>(),
                    JsonValueKind.Number => value.TryGetValue<double>(out var d) ? d : double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
                    JsonValueKind.True => Semantics.True,
                    JsonValueKind.False => Semantics.False,
                    JsonValueKind.Null => NullValue.Instance,
                    _ => FromElement(JsonSerializer.SerializeToElement(value)),
                };
            default:
                return NullValue.Instance;
        }
    }

    public static object? FromElement(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }

        // Reading the element's raw UTF-8 with a forward-only reader is much cheaper than walking the DOM.
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(element));
        reader.Read();
        return new Utf8Converter().Read(ref reader, 0);
    }

    /// <summary>
    /// Converts JSON text token by token. Records in an array usually share one shape, so the property-name strings of
    /// the previous object at the same depth are reused when the UTF-8 names match, instead of allocating them again.
    /// </summary>
    private sealed class Utf8Converter
    {
        private readonly List<(string[] Names, byte[][] Utf8)?> _shapes = [];

        public object? Read(ref Utf8JsonReader reader, int depth)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    return ReadObject(ref reader, depth);
                case JsonTokenType.StartArray:
                {
                    var result = new ArrayValue();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        result.Add(Read(ref reader, depth + 1));
                    }

                    return result;
                }

                case JsonTokenType.String:
                    return reader.GetString();
                case JsonTokenType.Number:
                    return Semantics.Box(reader.GetDouble());
                case JsonTokenType.True:
                    return Semantics.True;
                case JsonTokenType.False:
                    return Semantics.False;
                default:
                    return NullValue.Instance;
            }
        }

        private ObjectValue ReadObject(ref Utf8JsonReader reader, int depth)
        {
            while (_shapes.Count <= depth)
            {
                _shapes.Add(null);
            }

            var shape = _shapes[depth];
            var result = new ObjectValue(shape?.Names.Length ?? 4);
            var i = 0;
            var sameShape = shape is not null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name;
                if (sameShape && i < shape!.Value.Names.Length && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual(shape.Value.Utf8[i]))
                {
                    name = shape.Value.Names[i];
                }
                else
                {
                    name = reader.GetString()!;
                    sameShape = false;
                }

                reader.Read();
                result[name] = Read(ref reader, depth + 1);
                i++;
            }

            if (!sameShape || shape!.Value.Names.Length != result.Count)
            {
                var names = new string[result.Count];
                var utf8 = new byte[result.Count][];
                for (var k = 0; k < names.Length; k++)
                {
                    names[k] = result.KeyAt(k);
                    utf8[k] = System.Text.Encoding.UTF8.GetBytes(names[k]);
                }

                _shapes[depth] = (names, utf8);
            }

            return result;
        }
    }

    /// <summary>Counts the values in a result and raises U1002 when there are more than <paramref name="limit"/>.</summary>
    public static void CheckOutputSize(object? value, long limit)
    {
        var budget = limit;
        Count(value, ref budget, limit);

        static void Count(object? value, ref long budget, long limit)
        {
            if (--budget < 0)
            {
                throw new JsonataException("U1002", $"Output size limit exceeded: the result holds more than {limit} values.");
            }

            if (value is ArrayValue arr)
            {
                foreach (var item in arr)
                {
                    Count(item, ref budget, limit);
                }
            }
            else if (value is ObjectValue obj)
            {
                for (var i = 0; i < obj.Count; i++)
                {
                    Count(obj.ValueAt(i), ref budget, limit);
                }
            }
        }
    }

    /// <summary>Converts a result value to a JSON node; undefined array items become null as JSON.stringify does.</summary>
    public static JsonNode? ToNode(object? value, ref long budget, long limit)
    {
        if (--budget < 0)
        {
            throw new JsonataException("U1002", $"Output size limit exceeded: the result holds more than {limit} values.");
        }

        switch (value)
        {
            case null:
            case NullValue:
                return null;
            case string s:
                return JsonValue.Create(s);
            case double d:
                return double.IsFinite(d) ? JsonValue.Create(d) : null;
            case bool b:
                return JsonValue.Create(b);
            case ArrayValue arr:
            {
                var result = new JsonArray();
                foreach (var item in arr)
                {
                    result.Add(item is FunctionValue ? null : ToNode(item, ref budget, limit));
                }

                return result;
            }

            case ObjectValue obj:
            {
                var result = new JsonObject();
                foreach (var pair in obj)
                {
                    if (pair.Value is null or FunctionValue)
                    {
                        continue;
                    }

                    result[pair.Key] = ToNode(pair.Value, ref budget, limit);
                }

                return result;
            }

            case FunctionValue:
                return JsonValue.Create("");
            default:
                return JsonValue.Create(value.ToString());
        }
    }
}
