using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace IntegrationHealth.Jsonata.Values;

/// <summary>
/// Remembers the converted value of each <see cref="JsonElement"/> evaluated, per <see cref="JsonDocument"/>, for as
/// long as that document is alive. A JsonDocument is immutable and evaluation never modifies its input, so evaluating
/// several expressions (or one expression repeatedly) over a response held in a JsonDocument converts it only once -
/// the equivalent of jsonata-js working on an already-parsed object. Element identity is the element's document and
/// index, read with <see cref="UnsafeAccessorAttribute"/>; if a future runtime renames those fields the cache simply
/// switches itself off.
/// </summary>
internal static class ElementCache
{
    private static readonly ConditionalWeakTable<JsonDocument, ConcurrentDictionary<int, object?>> Documents = new();
    private static volatile bool _disabled;

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_parent")]
    private static extern ref JsonDocument ParentOf(ref JsonElement element);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_idx")]
    private static extern ref int IndexOf(ref JsonElement element);

    public static object? Convert(JsonElement element)
    {
        if (_disabled || element.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            return JsonConversion.FromElement(element);
        }

        JsonDocument? document;
        int index;
        try
        {
            document = ParentOf(ref element);
            index = IndexOf(ref element);
        }
        catch (Exception ex) when (ex is MissingFieldException or MissingMemberException or TypeLoadException)
        {
            _disabled = true;
            return JsonConversion.FromElement(element);
        }

        if (document is null)
        {
            return JsonConversion.FromElement(element);
        }

        var perDocument = Documents.GetValue(document, static _ => new ConcurrentDictionary<int, object?>());
        if (perDocument.TryGetValue(index, out var cached))
        {
            return cached;
        }

        var converted = JsonConversion.FromElement(element);
        perDocument.TryAdd(index, converted);
        return converted;
    }
}
