using IntegrationHealth.Engine.Responses;

namespace IntegrationHealth.Engine.Execution;

/// <summary>An engine call that could not complete; the subclasses say why.</summary>
public abstract class EngineCallException(string provider, string resource, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string Provider { get; } = provider;
    public string Resource { get; } = resource;
}

/// <summary>
/// The provider's answer was classified as something other than success (after any retries the context allows):
/// <see cref="Classification"/> says what (rate-limited with its wait, needs re-auth, fail, retry exhausted) and by
/// which rule.
/// </summary>
public sealed class UpstreamCallException(string provider, string resource, int? status, ResponseClassification classification,
    RateLimitSnapshot rateLimit, Exception? inner = null)
    : EngineCallException(provider, resource,
        $"{provider} {resource}: upstream {(status is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : "call failed")}, " +
        $"classified {ResponseActions.Of(classification.Action)} by {classification.Rule}.", inner)
{
    /// <summary>The HTTP status, or null when no response arrived (network failure, timeout).</summary>
    public int? Status { get; } = status;
    public ResponseClassification Classification { get; } = classification;
    public RateLimitSnapshot RateLimit { get; } = rateLimit;
    /// <summary>The provider's error as the definition's <c>error_mapping</c> read it from the error body; null when
    /// the definition has none or the body gave nothing.</summary>
    public ProviderError? ProviderError { get; init; }
}

/// <summary>Why pagination was stopped by the engine rather than by the provider.</summary>
public enum PaginationFailure
{
    /// <summary>A cursor (or next link) came back that was already followed: the provider loops.</summary>
    RepeatedCursor,
    /// <summary>A page held exactly the records of the page before: the provider ignores the paging parameter.</summary>
    RepeatedPage,
    /// <summary>More pages than the definition's <c>max_pages</c> (or the engine's limit).</summary>
    MaxPagesExceeded,
    /// <summary>A next link pointed at another origin than the provider's base URL; credentials never go there.</summary>
    ForeignNextLink,
}

/// <summary>Pagination was ended by the engine's guards: never an infinite loop, never a credential sent elsewhere.</summary>
public sealed class PaginationException(string provider, string resource, PaginationFailure failure, int pages, string detail)
    : EngineCallException(provider, resource, $"{provider} {resource}: pagination stopped after {pages} pages: {detail}")
{
    public PaginationFailure Failure { get; } = failure;
    public int Pages { get; } = pages;
}

/// <summary>The connection lacks something the definition needs (a connection value or credential field), or a value
/// breaks its declared pattern.</summary>
public sealed class ConnectionConfigurationException(string provider, string resource, string message)
    : EngineCallException(provider, resource, message);
