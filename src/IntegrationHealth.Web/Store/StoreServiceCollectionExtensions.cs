using IntegrationHealth.Web.Health;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Store;

/// <summary>Registers how the service lives with storage faults.</summary>
public static class StoreResilienceServiceCollectionExtensions
{
    /// <summary>Every role: the validated <see cref="StoreResilienceOptions"/>, the start-up state
    /// (<see cref="StoreStartup"/>), the write record readiness reads and the in-request retry of store writes.</summary>
    public static IServiceCollection AddStoreResilience(this IServiceCollection services)
    {
        services.AddOptions<StoreResilienceOptions>().BindConfiguration(StoreResilienceOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StoreResilienceOptions>, StoreResilienceOptionsValidator>();
        services.AddSingleton<StoreStartup>();
        services.AddSingleton<StoreWriteHealth>();
        services.AddSingleton<StoreRetry>();
        return services;
    }

    /// <summary>The HTTP side: storage faults answered 503/507 (after the request-shaped exceptions' handler), and the
    /// readiness checks <c>store</c> and <c>store-writes</c>.</summary>
    public static IServiceCollection AddStoreFaultAnswers(this IServiceCollection services)
    {
        services.AddExceptionHandler<StoreFaultExceptionHandler>();
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>(StoreHealthCheck.Name, tags: [HealthApi.ReadyTag])
            .AddCheck<StoreWritesHealthCheck>(StoreWritesHealthCheck.Name, tags: [HealthApi.ReadyTag]);
        return services;
    }

    private sealed class StoreResilienceOptionsValidator : IValidateOptions<StoreResilienceOptions>
    {
        public ValidateOptionsResult Validate(string? name, StoreResilienceOptions options)
        {
            var problems = StoreResilienceOptions.Problems(options).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
