using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Responses;

namespace IntegrationHealth.Engine.Pagination;

/// <summary>What one page request adds to the operation's request: values at their locations, or a whole next URL.</summary>
internal sealed record PageRequest
{
    public static readonly PageRequest FirstPage = new();

    public IReadOnlyList<(ValueLocation Location, JsonNode Value)> Values { get; init; } = [];
    /// <summary>An absolute URL to fetch instead of the operation's path and query (next links).</summary>
    public Uri? NextUrl { get; init; }
    /// <summary>The cursor or link this request follows, for loop detection.</summary>
    public string? Token { get; init; }
}

/// <summary>What a paginator looks at after a page.</summary>
internal sealed record PageResponse(int Number, int Status, HttpResponseHeaders Headers, JsonElement? Body, int Records, Uri RequestUri);

/// <summary>
/// One pagination strategy: the first request, and from each response the next request or null for "that was the last
/// page". The definition's <c>stop_when</c> and the loop guards are applied around it by the executor, so a paginator
/// only knows its own convention.
/// </summary>
internal abstract class Paginator(PaginationDefinition definition, LoadedProvider provider)
{
    protected PaginationDefinition Definition { get; } = definition;
    protected LoadedProvider Provider { get; } = provider;

    public virtual PageRequest First() => PageRequest.FirstPage;

    public abstract PageRequest? Next(PageResponse response);

    /// <summary>Continues from <paramref name="request"/> (a checkpoint) instead of the first page: strategies that count
    /// pages or offsets take their position from it.</summary>
    public virtual void Resume(PageRequest request)
    {
    }

    /// <summary>The number a resumed request carries at its first value (an offset or a page number).</summary>
    protected static long? Position(PageRequest request) =>
        request.Values is [var (_, value), ..] && value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<long>(out var n) ? n : null;

    /// <summary>Whether a page with fewer records than the page size may be taken as the last. Only when the definition
    /// says so: servers silently cap page sizes, and "fewer than asked" then ends a listing early.</summary>
    protected bool IsShortLastPage(PageResponse response) =>
        response.Records == 0 || (Definition.ShortPageIsLast && Definition.PageSize is { } size && response.Records < size);

    /// <summary>A value read from the response as the source says (an expression over the body, or a header); null when
    /// absent, JSON null or empty.</summary>
    protected string? Read(ValueSource source, PageResponse response)
    {
        if (source.Header is { } header) return ResponseHeaders.First(response.Headers, header) is { Length: > 0 } h ? h : null;
        if (response.Body is not { } body) return null;
        var result = Provider.Expression(source.Body!).Evaluate(body);
        if (result.IsUndefined || result.Value is null) return null;
        var text = result.Value is JsonValue value && value.TryGetValue<string>(out var s) ? s : result.Value.ToJsonString();
        return text.Length == 0 ? null : text;
    }

    /// <summary>The strategy's paginator for an operation (a single page when it has no pagination).</summary>
    public static Paginator For(PaginationDefinition? definition, LoadedProvider provider) => definition?.Strategy switch
    {
        null or "none" => new SinglePagePaginator(definition ?? new PaginationDefinition { Strategy = "none" }, provider),
        "cursor" => new CursorPaginator(definition, provider),
        "offset" => new OffsetPaginator(definition, provider),
        "page_number" => new PageNumberPaginator(definition, provider),
        "link_header" => new LinkHeaderPaginator(definition, provider),
        "next_url" => new NextUrlPaginator(definition, provider),
        _ => throw new InvalidOperationException($"Unknown pagination strategy '{definition.Strategy}'."),
    };
}

/// <summary>No pagination: one request, one page.</summary>
internal sealed class SinglePagePaginator(PaginationDefinition definition, LoadedProvider provider) : Paginator(definition, provider)
{
    public override PageRequest? Next(PageResponse response) => null;
}

/// <summary>A cursor or page token read from a body path or a header, sent back as a query parameter, a header or a
/// body field; absent (or null, or empty) means the last page.</summary>
internal sealed class CursorPaginator(PaginationDefinition definition, LoadedProvider provider) : Paginator(definition, provider)
{
    public override PageRequest? Next(PageResponse response) =>
        Read(Definition.CursorFrom!, response) is { } cursor
            ? new PageRequest { Values = [(Definition.CursorTo!, JsonValue.Create(cursor))], Token = cursor }
            : null;
}

/// <summary>Offset and limit: the offset advances by the records returned (right when a server caps the page size) or
/// by the page size, and the first request may omit it.</summary>
internal sealed class OffsetPaginator(PaginationDefinition definition, LoadedProvider provider) : Paginator(definition, provider)
{
    private long _offset = definition.Start ?? 0;

    public override PageRequest First() => Definition.SendOnFirst ? At(_offset) : PageRequest.FirstPage;

    public override void Resume(PageRequest request) => _offset = Position(request) ?? _offset;

    public override PageRequest? Next(PageResponse response)
    {
        if (IsShortLastPage(response)) return null;
        _offset += Definition.CountBy == "page_size" ? Definition.PageSize!.Value : response.Records;
        return At(_offset);
    }

    private PageRequest At(long offset) => new() { Values = [(Definition.OffsetParam!, JsonValue.Create(offset))] };
}

/// <summary>Page numbers from a start value (0 or 1), the first request optionally without it.</summary>
internal sealed class PageNumberPaginator(PaginationDefinition definition, LoadedProvider provider) : Paginator(definition, provider)
{
    private long _page = definition.Start ?? 1;

    public override PageRequest First() => Definition.SendOnFirst ? At(_page) : PageRequest.FirstPage;

    public override void Resume(PageRequest request) => _page = Position(request) ?? _page;

    public override PageRequest? Next(PageResponse response) => IsShortLastPage(response) ? null : At(++_page);

    private PageRequest At(long page) => new() { Values = [(Definition.PageParam!, JsonValue.Create(page))] };
}

/// <summary>RFC 8288 <c>Link</c> headers: follow the link with the definition's relation (default <c>next</c>).</summary>
internal sealed class LinkHeaderPaginator(PaginationDefinition definition, LoadedProvider provider) : Paginator(definition, provider)
{
    public override PageRequest? Next(PageResponse response)
    {
        var links = response.Headers.TryGetValues("Link", out var values) ? values : [];
        foreach (var value in links)
        {
            if (LinkHeader.Find(value, Definition.Rel) is { } target && Uri.TryCreate(response.RequestUri, target, out var next))
                return new PageRequest { NextUrl = next, Token = next.AbsoluteUri };
        }
        return null;
    }
}

/// <summary>A next-page URL at a body path or in a header, absolute or relative to the request.</summary>
internal sealed class NextUrlPaginator(PaginationDefinition definition, LoadedProvider provider) : Paginator(definition, provider)
{
    public override PageRequest? Next(PageResponse response) =>
        Read(Definition.NextUrlFrom!, response) is { } link && Uri.TryCreate(response.RequestUri, link, out var next)
            ? new PageRequest { NextUrl = next, Token = next.AbsoluteUri }
            : null;
}
