using System.Security.Cryptography;
using System.Text;
using IntegrationHealth.Engine.Execution;

namespace IntegrationHealth.Engine.Pagination;

/// <summary>
/// Ends pagination that would never end on its own: a cursor or link already followed, a page identical to the one
/// before, more pages than allowed, or a next link to another origin (where the connection's credentials must not go).
/// </summary>
internal sealed class PaginationGuard(string provider, string resource, int maxPages, Uri baseUri)
{
    private readonly HashSet<string> _tokens = new(StringComparer.Ordinal);
    private byte[]? _previousPage;

    /// <summary>After page <paramref name="number"/>: refuses a non-empty page equal to the previous one.</summary>
    public void AfterPage(int number, string recordsJson, int records)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(recordsJson));
        if (records > 0 && _previousPage is not null && hash.AsSpan().SequenceEqual(_previousPage))
            throw new PaginationException(provider, resource, PaginationFailure.RepeatedPage, number,
                $"page {number} repeats the records of page {number - 1}");
        _previousPage = hash;
    }

    /// <summary>Before following <paramref name="next"/> after <paramref name="pagesRead"/> pages.</summary>
    public void BeforeNext(PageRequest next, int pagesRead)
    {
        if (next.Token is { } token && !_tokens.Add(token))
            throw new PaginationException(provider, resource, PaginationFailure.RepeatedCursor, pagesRead,
                next.NextUrl is null ? "the provider sent a cursor it had already sent" : "the provider sent a next link it had already sent");
        if (next.NextUrl is { } url && !SameOrigin(url, baseUri))
            throw new PaginationException(provider, resource, PaginationFailure.ForeignNextLink, pagesRead,
                $"the next link goes to {url.Scheme}://{url.Authority}, not to the provider's {baseUri.Scheme}://{baseUri.Authority}");
        if (pagesRead >= maxPages)
            throw new PaginationException(provider, resource, PaginationFailure.MaxPagesExceeded, pagesRead,
                $"more than {maxPages} pages (max_pages)");
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}
