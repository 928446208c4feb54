using IntegrationHealth.Engine.Connections;
using IntegrationHealth.Engine.Idempotency;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Proxy;

/// <summary>
/// <c>/v1/proxy/{connection}/{**path}</c>: raw passthrough to a tenant's connection. GET and HEAD need the read
/// scope; POST, PUT, PATCH and DELETE change the customer's data at the provider and need the admin scope (there is
/// no narrower write scope; one would replace admin here). Another tenant's connection is a 404.
/// </summary>
public static class EngineProxyApi
{
    private static readonly string[] ReadMethods = ["GET", "HEAD"];
    private static readonly string[] WriteMethods = ["POST", "PUT", "PATCH", "DELETE"];

    public static IEndpointRouteBuilder MapEngineProxyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/proxy").WithTags("Engine proxy");
        const string description = "The path (and query) go to the connection's provider under its definition's base URL, with the " +
            "connection's credential injected; the caller's Authorization, API-key and cookie headers, hop-by-hop headers and " +
            "Idempotency-Key are not forwarded. Bodies stream both ways. Only the provider's host is reached, no redirect is followed " +
            "(one to another origin is answered 502), and loopback, link-local and private addresses are refused unless " +
            "Engine:Proxy:AllowedNetworks allows them. The provider's answer comes back as it is (a 429 with its Retry-After, " +
            "nothing retried), with RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset added where the provider gave them. " +
            "'path' is the rest of the URL and may span several segments (OpenAPI can only describe one; send the slashes as they are: " +
            "an encoded %2F stays encoded upstream).";
        group.MapMethods("/{connection}/{**path}", ReadMethods, ProxyRead)
            .RequireAuthorization(ApiPolicies.Read)
            .WithName("ProxyRead")
            .WithSummary("Read from a connection's provider through the proxy (GET, HEAD)")
            .WithDescription(description)
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        group.MapMethods("/{connection}/{**path}", WriteMethods, ProxyWrite)
            .RequireAuthorization(ApiPolicies.Admin)
            .WithName("ProxyWrite")
            .WithSummary("Write to a connection's provider through the proxy (POST, PUT, PATCH, DELETE)")
            .WithDescription(description + " An Idempotency-Key makes a repeat within 24 hours answer the first result without a second " +
                "upstream call (409 while the first is in flight, 422 for the key with another request); keyed bodies are limited to " +
                "Engine:Idempotency:MaxBodyBytes, unkeyed ones stream up to Engine:Proxy:MaxRequestBodyBytes.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        return app;
    }

    /// <summary>GET/HEAD passthrough.</summary>
    public static Task ProxyRead(HttpContext context, string connection, string? path, IEngineConnections connections, ConnectionProxy proxy,
        IOptions<ProxyOptions> options) =>
        ForwardAsync(context, connection, path, connections, proxy, options.Value, null);

    /// <summary>POST/PUT/PATCH/DELETE passthrough, with Idempotency-Key.</summary>
    public static Task ProxyWrite(HttpContext context, string connection, string? path, IEngineConnections connections, ConnectionProxy proxy,
        IOptions<ProxyOptions> options, IdempotentRequests idempotency) =>
        ForwardAsync(context, connection, path, connections, proxy, options.Value, idempotency);

    private static async Task ForwardAsync(HttpContext context, string connection, string? path, IEngineConnections connections,
        ConnectionProxy proxy, ProxyOptions options, IdempotentRequests? idempotency)
    {
        var tenantId = context.User.GetTenantId();
        var (resolution, resolved) = await connections.FindAsync(tenantId, connection, context.RequestAborted);
        if (resolution == ConnectionResolution.NotFound)
        {
            await Problems.NotFound("No such connection.").ExecuteAsync(context);
            return;
        }
        if (resolution == ConnectionResolution.NoDefinition)
        {
            await Problems.Conflict("The connection's provider has no engine definition, so it cannot be called through the proxy.").ExecuteAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = options.MaxRequestBodyBytes;
        var (key, keyProblem) = idempotency is null ? (null, null) : IdempotentRequests.KeyOf(context.Request);
        if (keyProblem is not null)
        {
            await keyProblem.ExecuteAsync(context);
            return;
        }
        if (key is null || idempotency is null)
        {
            await proxy.ForwardAsync(context, resolved!, RawPathAfter(context, 3));
            return;
        }

        // A keyed write is fingerprinted, so its body is read first (bounded); the forwarder then streams the copy.
        using var body = await RequestBody.ReadAsync(context, idempotency.MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            await Problems.PayloadTooLarge($"A write with an Idempotency-Key may carry at most {idempotency.MaxBodyBytes} bytes (Engine:Idempotency:MaxBodyBytes).")
                .ExecuteAsync(context);
            return;
        }
        var bytes = body.Span.ToArray();
        var fingerprint = IdempotentRequests.Fingerprint(context.Request, bytes);
        context.Request.Body = new MemoryStream(bytes, writable: false);
        context.Request.ContentLength = bytes.Length;
        await idempotency.RunAsync(context, tenantId, resolved!.Row.Id, key, fingerprint, () => proxy.ForwardAsync(context, resolved, RawPathAfter(context, 3)));
    }

    /// <summary>The request path after its first <paramref name="segments"/> segments (and the path base), exactly as
    /// the client encoded it: routing's decoded value would turn an encoded '/' into a separator upstream.</summary>
    public static string RawPathAfter(HttpContext context, int segments)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } target && target[0] == '/'
            ? target
            : context.Request.PathBase.Add(context.Request.Path).ToUriComponent();
        var query = raw.IndexOf('?');
        if (query >= 0) raw = raw[..query];
        var skip = segments + (context.Request.PathBase.Value?.Count(c => c == '/') ?? 0);
        var parts = raw.Split('/');
        return parts.Length > skip + 1 ? string.Join('/', parts[(skip + 1)..]) : "";
    }
}
