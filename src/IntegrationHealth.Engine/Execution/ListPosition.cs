using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Pagination;

namespace IntegrationHealth.Engine.Execution;

/// <summary>
/// A place in a listing: the page request (cursor, offset, page number or next link) a paginator would send, as a
/// compact JSON text that can be kept (a unified API cursor, a sync checkpoint) and handed back through
/// <see cref="ListRequest.Resume"/>. Not a secret, but not for callers to edit either: whoever gives it out protects it.
/// </summary>
public sealed record ListPosition(string State)
{
    internal static ListPosition Of(PageRequest request)
    {
        var values = new JsonArray();
        foreach (var (location, value) in request.Values)
        {
            var item = new JsonObject { ["v"] = value.DeepClone() };
            if (location.Query is { } q) item["q"] = q;
            if (location.Header is { } h) item["h"] = h;
            if (location.BodyPath is { } b) item["b"] = b;
            values.Add(item);
        }
        var state = new JsonObject { ["v"] = values };
        if (request.NextUrl is { } url) state["u"] = url.AbsoluteUri;
        if (request.Token is { } token) state["k"] = token;
        return new ListPosition(state.ToJsonString());
    }

    /// <exception cref="FormatException">The state is not one this engine wrote.</exception>
    internal PageRequest ToPageRequest()
    {
        try
        {
            var state = JsonNode.Parse(State)!.AsObject();
            var values = new List<(ValueLocation, JsonNode)>();
            foreach (var item in state["v"]!.AsArray())
            {
                var o = item!.AsObject();
                var location = new ValueLocation { Query = (string?)o["q"], Header = (string?)o["h"], BodyPath = (string?)o["b"] };
                values.Add((location, o["v"]!.DeepClone()));
            }
            Uri? next = state["u"] is { } u ? new Uri((string)u!, UriKind.Absolute) : null;
            return new PageRequest { Values = values, NextUrl = next, Token = (string?)state["k"] };
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException or UriFormatException)
        {
            throw new FormatException("Not a listing position this engine wrote.", e);
        }
    }
}
