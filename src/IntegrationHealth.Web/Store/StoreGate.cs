using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Store;

/// <summary>Endpoint metadata: the endpoint works without the store (probes, metrics, the OpenAPI document), so it is
/// served before the store is ready.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class StoreIndependentAttribute : Attribute;

/// <summary>The request gate of a process whose store is not ready yet, and the metadata that lets endpoints through.</summary>
public static class StoreGate
{
    private static readonly StoreIndependentAttribute Marker = new();

    /// <summary>Serves the endpoint(s) before the store is ready (they must not touch the database).</summary>
    public static TBuilder StoreIndependent<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(Marker);

    /// <summary>
    /// Until <see cref="StoreStartup.IsReady"/>, answers every request but those of <see cref="StoreIndependent{TBuilder}"/>
    /// endpoints with a 503 problem naming why, with <c>Retry-After</c>: before the schema is migrated a request could
    /// only fail, and an unknown failure is a 500. Goes before authentication, which reads API keys from the store.
    /// </summary>
    public static IApplicationBuilder UseStoreGate(this IApplicationBuilder app)
    {
        var startup = app.ApplicationServices.GetRequiredService<StoreStartup>();
        var options = app.ApplicationServices.GetRequiredService<IOptions<StoreResilienceOptions>>();
        return app.Use((context, next) =>
        {
            if (startup.IsReady || context.GetEndpoint()?.Metadata.GetMetadata<StoreIndependentAttribute>() is not null)
                return next(context);
            var retryAfter = options.Value.RetryAfterSeconds;
            return StoreProblems.WriteAsync(context, StoreProblems.NotReady(startup.Status, retryAfter), retryAfter);
        });
    }
}
