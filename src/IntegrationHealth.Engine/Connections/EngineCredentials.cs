using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Web.Jobs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHealth.Engine.Connections;

/// <summary>The credential manager's registration and endpoints (connect, OAuth apps, import, export).</summary>
public static class EngineCredentials
{
    /// <summary>Every five minutes: tokens due within <see cref="EngineCredentialOptions.RefreshLookahead"/> (six
    /// minutes by default) are refreshed by one run or the next.</summary>
    public const string RefreshSchedule = "*/5 * * * *";

    /// <summary>
    /// The store's encrypted vault as <see cref="ICredentialVault"/> and <see cref="ICredentialStore"/> (a host without
    /// a store registers <see cref="InMemoryCredentialStore"/> as <see cref="ICredentialVault"/> first), single-flight
    /// refresh as the executor's <see cref="IAccessTokenSource"/>, the proactive refresh job, and validated
    /// <see cref="EngineCredentialOptions"/> (section <c>Engine:Credentials</c>).
    /// </summary>
    public static IServiceCollection AddEngineCredentials(this IServiceCollection services)
    {
        services.AddOptions<EngineCredentialOptions>().BindConfiguration(EngineCredentialOptions.Section)
            .Validate(o => o.TokenRetries is >= 0 and <= 5, "Engine:Credentials:TokenRetries must be between 0 and 5.")
            .Validate(o => o.TokenRetryBaseDelay > TimeSpan.Zero && o.MaxTokenRetryDelay >= o.TokenRetryBaseDelay,
                "Engine:Credentials:TokenRetryBaseDelay must be positive and MaxTokenRetryDelay at least as long.")
            .Validate(o => o.CoolDown >= TimeSpan.Zero && o.MaxCoolDown >= o.CoolDown,
                "Engine:Credentials:CoolDown must not be negative and MaxCoolDown at least as long.")
            .Validate(o => o.RecentReadCache >= TimeSpan.Zero && o.RecentReadCache <= TimeSpan.FromMinutes(1),
                "Engine:Credentials:RecentReadCache must be between 0 and 1 minute.")
            .Validate(o => o.LockTimeout > TimeSpan.Zero && o.LeaseDuration > TimeSpan.Zero,
                "Engine:Credentials:LockTimeout and LeaseDuration must be positive.")
            .Validate(o => o.RefreshLookahead >= TimeSpan.Zero && o.IdleRefreshInterval >= TimeSpan.FromDays(1) && o.RefreshBatchSize > 0,
                "Engine:Credentials:RefreshLookahead must not be negative, IdleRefreshInterval at least a day, RefreshBatchSize positive.")
            .Validate(o => o.ConnectStateLifetime > TimeSpan.Zero && o.ConnectStateLifetime <= TimeSpan.FromHours(1),
                "Engine:Credentials:ConnectStateLifetime must be between 0 and 1 hour.")
            .Validate(o => o.CallbackUrl is null || (Uri.TryCreate(o.CallbackUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"),
                "Engine:Credentials:CallbackUrl must be an absolute http(s) URL.")
            .Validate(o => o.MaxImportItems is > 0 and <= 100_000 && o.MaxImportBytes is > 0 and <= 64 * 1024 * 1024,
                "Engine:Credentials:MaxImportItems must be between 1 and 100000 and MaxImportBytes between 1 and 64 MiB.")
            .ValidateOnStart();
        services.TryAddSingleton<CredentialProtector>();
        services.TryAddSingleton<ICredentialVault, StoreCredentialVault>();
        services.TryAddSingleton<ICredentialStore>(sp => sp.GetRequiredService<ICredentialVault>());
        services.TryAddSingleton<TokenRefresher>();
        services.TryAddSingleton<ICredentialAlerts, StoreCredentialAlerts>();
        services.TryAddSingleton<ConnectionRevocation>();
        services.TryAddSingleton<SingleFlightTokenSource>();
        services.TryAddSingleton<IAccessTokenSource>(sp => sp.GetRequiredService<SingleFlightTokenSource>());
        services.TryAddSingleton<ConnectFlow>();
        services.TryAddSingleton<ConnectionImport>();
        services.AddRecurringJob<CredentialRefreshJob>(CredentialRefreshJob.RecurringJobId, RefreshSchedule);
        return services;
    }
}
