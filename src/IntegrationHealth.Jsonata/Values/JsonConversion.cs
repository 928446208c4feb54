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

    public static object? FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var result = new ObjectValue();
                foreach (var property in element.EnumerateObject())
                {
                    result[property.Name] = FromElement(property.Value);
                }

                return result;
            }

            case JsonValueKind.Array:
            {
                var result = new ArrayValue(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    result.Add(FromElement(item));
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
