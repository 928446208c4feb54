using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Values;

/// <summary>
/// Turns System.Text.Json input into evaluator values on demand, so an evaluation reads only what it touches: an
/// object becomes a lazy <see cref="ObjectValue"/> view, an array becomes an <see cref="ArrayValue"/> of its items
/// converted the same way (so an array costs one view per object item, not the items' contents), a scalar its value.
/// For a whole-document conversion up front (evaluating one document many times) see <see cref="JsonConversion"/>.
/// </summary>
internal static class LazyJson
{
    /// <summary>Documents given as UTF-8 bytes may nest as deeply as expressions (the parser's limit); System.Text.Json's
    /// default of 64 would reject data that JSON.parse accepts.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 1000 };

    public static object? FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                return ObjectValue.Over(element);
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
                return Semantics.Box(element.GetDouble());
            case JsonValueKind.True:
                return Semantics.True;
            case JsonValueKind.False:
                return Semantics.False;
            case JsonValueKind.Null:
                return NullValue.Instance;
            default:
                return null;
        }
    }

    public static object? FromNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return NullValue.Instance;
            case JsonObject obj:
                return ObjectValue.Over(obj);
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
                return FromValue(value);
            default:
                return NullValue.Instance;
        }
    }

    /// <summary>A JSON value node: usually a scalar, but one may wrap an object or array (e.g. a JsonElement).</summary>
    public static object? FromValue(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return value.GetValue<string>();
            case JsonValueKind.Number:
                return value.TryGetValue<double>(out var d) ? d : double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
            case JsonValueKind.True:
                return Semantics.True;
            case JsonValueKind.False:
                return Semantics.False;
            case JsonValueKind.Null:
                return NullValue.Instance;
            default:
                return value.TryGetValue<JsonElement>(out var element)
                    ? FromElement(element)
                    : FromElement(JsonSerializer.SerializeToElement(value));
        }
    }

    /// <summary>
    /// Materializes the lazy views reachable from <paramref name="value"/>, visiting at most <paramref name="budget"/>
    /// values, so that it no longer reads the input. Done to the values an error carries before the error leaves the
    /// evaluation: the caller may dispose the document or change the node afterwards, and lazy views are not
    /// thread-safe. (A result needs no call: counting it against the output limit materializes it.)
    /// </summary>
    public static void Detach(object? value, ref long budget)
    {
        if (--budget < 0)
        {
            return;
        }

        switch (value)
        {
            case ArrayValue arr:
                foreach (var item in arr)
                {
                    Detach(item, ref budget);
                }

                break;
            case ObjectValue obj:
                for (var i = 0; i < obj.Count && budget >= 0; i++)
                {
                    Detach(obj.ValueAt(i), ref budget);
                }

                break;
        }
    }
}
