using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Definitions;

namespace IntegrationHealth.Engine.Pagination;

/// <summary>
/// A page request as text, so a listing can continue where an earlier one stopped (a sync's checkpoint, committed with
/// each page): the values at their locations, or the next URL, and the token the loop guard knows it by. Holds only what
/// the provider sent as paging state, never a credential.
/// </summary>
internal static class PageCheckpoint
{
    public static string Write(PageRequest request)
    {
        var values = new JsonArray();
        foreach (var (location, value) in request.Values)
        {
            values.Add(new JsonObject
            {
                ["query"] = location.Query,
                ["header"] = location.Header,
                ["body_path"] = location.BodyPath,
                ["value"] = value.DeepClone(),
            });
        }
        return new JsonObject
        {
            ["v"] = 1,
            ["values"] = values,
            ["next_url"] = request.NextUrl?.AbsoluteUri,
            ["token"] = request.Token,
        }.ToJsonString();
    }

    /// <summary>The request, or null when the text is not a checkpoint of ours or its next URL leaves the provider's
    /// origin (an origin override changed since: start over rather than send the credential elsewhere).</summary>
    public static PageRequest? Read(string text, Uri baseUri)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        if (root is null || (int?)root["v"] != 1) return null;
        var values = new List<(ValueLocation, JsonNode)>();
        foreach (var item in root["values"] as JsonArray ?? [])
        {
            if (item is not JsonObject o || o["value"] is not { } value) return null;
            values.Add((new ValueLocation { Query = (string?)o["query"], Header = (string?)o["header"], BodyPath = (string?)o["body_path"] }, value.DeepClone()));
        }
        Uri? next = null;
        if ((string?)root["next_url"] is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out next)) return null;
            if (!string.Equals(next.Scheme, baseUri.Scheme, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(next.IdnHost, baseUri.IdnHost, StringComparison.OrdinalIgnoreCase) || next.Port != baseUri.Port)
                return null;
        }
        return new PageRequest { Values = values, NextUrl = next, Token = (string?)root["token"] };
    }
}
