using System.Globalization;
using IntegrationHealth.Engine.Execution;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHealth.Engine.Unified;

/// <summary>
/// The one mapping of engine failures to problem details, for the unified API and the proxy. Extensions say what the
/// provider answered and how the definition classified it: <c>upstreamStatus</c>, <c>classification</c> (the action),
/// <c>errorClass</c> and <c>rule</c> (the JSONPath of the rule that decided). Never a provider body, header or credential,
/// except what the definition's <c>error_mapping</c> picks from the error body: then <c>title</c>, <c>detail</c> and a
/// <c>code</c> extension carry the provider's own words.
/// <list type="table">
/// <item><term>rate_limited</term><description>429, with <c>Retry-After</c> (set by the caller from the wait).</description></item>
/// <item><term>needs_reauth</term><description>409 with <c>reason: needs_reauth</c>: the connection must be authorized
/// again; retrying cannot help (424 was considered: it says "a request this one depended on failed", which is not
/// what happened).</description></item>
/// <item><term>upstream 404</term><description>404; upstream 400/422: 422 (the provider refused the content);
/// upstream 409: 409.</description></item>
/// <item><term>other failures</term><description>502; no response in time: 504.</description></item>
/// <item><term>pagination stopped</term><description>502 with <c>reason</c> (RepeatedCursor…).</description></item>
/// <item><term>connection configuration</term><description>409 with <c>reason: connection_configuration</c>.</description></item>
/// </list>
/// </summary>
public static class UpstreamProblems
{
    public static ProblemDetails For(EngineCallException exception) => exception switch
    {
        UpstreamCallException u => ForCall(u),
        PaginationException p => With(Problems.Create(502, $"The provider's pagination was stopped after {p.Pages} pages: {p.Failure}.",
            "The provider's pagination looped or ran over its limit."), ("reason", p.Failure.ToString())),
        QueryMappingException q => With(Problems.Create(422, $"The filters could not be mapped to the provider's request: {q.Detail}",
            "The filters do not fit the provider's query mapping."), ("where", q.Where)),
        RequestMappingException m => With(Problems.Create(422, $"The record could not be mapped to the provider's request: {m.Detail}",
            "The record does not fit the provider's request mapping."), ("where", m.Where)),
        ConnectionConfigurationException c => With(Problems.Create(409, c.Message, "The connection is not usable as configured."),
            ("reason", "connection_configuration")),
        _ => Problems.Create(502, "The provider call failed."),
    };

    private static ProblemDetails ForCall(UpstreamCallException e)
    {
        var c = e.Classification;
        var (status, title, detail) = c.Action switch
        {
            ResponseAction.RateLimited => (429, "The provider's rate limit was reached.",
                "The provider answered with a rate limit; retry after the time in Retry-After. Nothing is retried for you in the request path."),
            ResponseAction.NeedsReauth => (409, "The connection needs to be authorized again.",
                "The provider refused the connection's credentials (revoked or expired beyond refresh); reconnect the account."),
            _ when e.Status is null => (c.ErrorClass == Data.Entities.ErrorClass.Timeout ? 504 : 502, "The provider could not be reached.",
                "No answer came from the provider."),
            _ when e.Status == 404 => (404, "Not found.", "The provider has no such record."),
            _ when e.Status is 400 or 422 => (422, "The provider refused the request.", $"The provider answered {e.Status}."),
            _ when e.Status == 409 => (409, "The provider reports a conflict.", "The provider answered 409."),
            _ => (502, "The provider call failed.", $"The provider answered {e.Status?.ToString(CultureInfo.InvariantCulture)}."),
        };
        if (e.InnerException is HttpRequestException { InnerException: Proxy.DestinationRefusedException })
            (status, title, detail) = (502, "The provider's address is not allowed.",
                "The provider's host resolves to an address the engine may not connect to (loopback, link-local or private).");
        var problem = Problems.Create(status, detail, title);
        if (c.Action == ResponseAction.NeedsReauth) problem.Extensions["reason"] = "needs_reauth";
        if (status == 502 && e.InnerException is HttpRequestException { InnerException: Proxy.DestinationRefusedException })
            problem.Extensions["reason"] = "destination_refused";
        if (e.Status is { } s) problem.Extensions["upstreamStatus"] = s;
        problem.Extensions["classification"] = ResponseActions.Of(c.Action);
        problem.Extensions["errorClass"] = c.ErrorClass.ToString();
        problem.Extensions["rule"] = c.Rule;
        // The definition's error_mapping chose these from the provider's error body; the status stays ours.
        if (e.ProviderError is { } error)
        {
            if (error.Title is { } t) problem.Title = t;
            if (error.Detail is { } d) problem.Detail = d;
            if (error.Code is { } code) problem.Extensions["code"] = code;
        }
        return problem;
    }

    private static ProblemDetails With(ProblemDetails problem, params (string Name, object Value)[] extensions)
    {
        foreach (var (name, value) in extensions) problem.Extensions[name] = value;
        return problem;
    }
}
