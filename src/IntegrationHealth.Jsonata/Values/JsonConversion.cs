using System.Text.Json;
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

    public static object? FromElement(JsonElement element) => new ElementReader().Read(element, 0);

    /// <summary>
    /// Converts a JsonElement tree. Records in an array usually share one shape, so property-name strings of the
    /// previous object at the same depth are reused when the UTF-8 names match, instead of allocating them again.
    /// </summary>
    private sealed class ElementReader
    {
        private readonly List<string[]?> _shapes = [];

        public object? Read(JsonElement element, int depth)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                {
                    while (_shapes.Count <= depth)
                    {
                        _shapes.Add(null);
                    }

                    var shape = _shapes[depth];
                    var result = new ObjectValue(shape?.Length ?? 4);
                    var i = 0;
                    var sameShape = true;
                    foreach (var property in element.EnumerateObject())
                    {
                        string name;
                        if (shape is not null && i < shape.Length && property.NameEquals(shape[i]))
                        {
                            name = shape[i];
                        }
                        else
                        {
                            name = property.Name;
                            sameShape = false;
                        }

                        result[name] = Read(property.Value, depth + 1);
                        i++;
                    }

                    if (!sameShape || shape is null || shape.Length != result.Count)
                    {
                        var keys = new string[result.Count];
                        for (var k = 0; k < keys.Length; k++)
                        {
                            keys[k] = result.KeyAt(k);
                        }

                        _shapes[depth] = keys;
                    }

                    return result;
                }

                case JsonValueKind.Array:
                {
                    var result = new ArrayValue(element.GetArrayLength());
                    foreach (var item in element.EnumerateArray())
                    {
                        result.Add(Read(item, depth + 1));
                    }

                    return result;
                }

                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.Number:
                    return element.GetDouble();
                case JsonValueKind.True:
                    return Semantics.True;
                case JsonValueKind.False:
                    return Semantics.False;
                case JsonValueKind.Undefined:
                    return null;
                default:
                    return NullValue.Instance;
            }
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
