using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Tests.Differential;

/// <summary>JSON value kinds seen at one field, as flags so a field can be "number or null" or missing.</summary>
[Flags]
public enum ValueKinds
{
    None = 0,
    Number = 1,
    String = 2,
    Boolean = 4,
    Null = 8,
    Object = 16,
    ArrayOfObjects = 32,
    ArrayOfScalars = 64,
}

/// <summary>A field reachable by a path, with the kinds of value it held in the generated payloads.</summary>
/// <param name="Path">JSONata path text relative to the object it was collected from (names quoted with backticks when needed).</param>
/// <param name="Kinds">Kinds observed; arrays of scalars record their element kinds too.</param>
/// <param name="Samples">Some string and number values seen there, so predicates can compare against values that occur.</param>
public sealed record FieldPath(string Path, ValueKinds Kinds, IReadOnlyList<JsonValue> Samples)
{
    public bool Has(ValueKinds kind) => (Kinds & kind) != 0;
}

/// <summary>
/// The union of the structure of every payload of one kind. Generating expressions from the union (not from the
/// single payload an expression is evaluated on) is what makes missing fields and empty arrays come up naturally.
/// </summary>
public sealed class PayloadShape
{
    private readonly Dictionary<string, ValueKinds> fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PayloadShape> children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonValue>> samples = new(StringComparer.Ordinal);

    /// <summary>Distinct sample values kept per field: enough variety for predicates, bounded for big payloads.</summary>
    private const int MaxSamples = 12;

    /// <summary>Builds the merged shape of <paramref name="documents"/>.</summary>
    public static PayloadShape Of(IEnumerable<JsonObject> documents)
    {
        var shape = new PayloadShape();
        foreach (var document in documents)
        {
            shape.Merge(document);
        }

        return shape;
    }

    /// <summary>Every path to a value below this object (through objects and arrays of objects), each with its kinds.</summary>
    public IReadOnlyList<FieldPath> Leaves()
    {
        var result = new List<FieldPath>();
        Collect(prefix: "", result);
        return result;
    }

    /// <summary>Paths to arrays of objects (and single nested objects) with the shape of their elements:
    /// the "collections" that predicates, group-by, order-by and lambdas iterate over.</summary>
    public IReadOnlyList<(string Path, PayloadShape Element)> Collections()
    {
        var result = new List<(string, PayloadShape)>();
        CollectCollections(prefix: "", result);
        return result;
    }

    private void Merge(JsonObject obj)
    {
        foreach (var (name, value) in obj)
        {
            fields.TryGetValue(name, out var kinds);
            fields[name] = kinds | KindOf(value);
            switch (value)
            {
                case JsonValue scalar:
                    Sample(name, scalar);
                    break;
                case JsonObject child:
                    Child(name).Merge(child);
                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        if (item is JsonObject element)
                        {
                            Child(name).Merge(element);
                        }
                        else
                        {
                            fields[name] |= KindOf(item);
                            if (item is JsonValue scalarItem) Sample(name, scalarItem);
                        }
                    }

                    break;
            }
        }
    }

    private void Sample(string name, JsonValue value)
    {
        var kind = value.GetValueKind();
        if (kind is not (System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Number)) return;
        if (!samples.TryGetValue(name, out var list))
        {
            list = [];
            samples[name] = list;
        }

        var text = value.ToJsonString();
        if (list.Count < MaxSamples && !list.Any(v => v.ToJsonString() == text)) list.Add((JsonValue)value.DeepClone());
    }

    private PayloadShape Child(string name)
    {
        if (!children.TryGetValue(name, out var child))
        {
            child = new PayloadShape();
            children[name] = child;
        }

        return child;
    }

    private void Collect(string prefix, List<FieldPath> result)
    {
        foreach (var (name, kinds) in fields)
        {
            var path = prefix + Quote(name);
            result.Add(new FieldPath(path, kinds, samples.TryGetValue(name, out var values) ? values : []));
            if (children.TryGetValue(name, out var child))
            {
                child.Collect(path + ".", result);
            }
        }
    }

    private void CollectCollections(string prefix, List<(string, PayloadShape)> result)
    {
        foreach (var (name, child) in children)
        {
            var path = prefix + Quote(name);
            result.Add((path, child));
            child.CollectCollections(path + ".", result);
        }
    }

    private static ValueKinds KindOf(JsonNode? value) => value switch
    {
        null => ValueKinds.Null,
        JsonObject => ValueKinds.Object,
        // An empty array says nothing about what its elements would be.
        JsonArray { Count: 0 } => ValueKinds.None,
        JsonArray array => array.Any(item => item is JsonObject) ? ValueKinds.ArrayOfObjects : ValueKinds.ArrayOfScalars,
        JsonValue scalar => scalar.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.Number => ValueKinds.Number,
            System.Text.Json.JsonValueKind.String => ValueKinds.String,
            System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => ValueKinds.Boolean,
            _ => ValueKinds.Null,
        },
        _ => ValueKinds.None,
    };

    /// <summary>Quotes a field name with backticks unless it is a plain JSONata name.</summary>
    public static string Quote(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_')
            && name is not ("and" or "or" or "in" or "true" or "false" or "null" or "function")
            ? name
            : $"`{name}`";
}
