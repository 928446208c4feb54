using System.CommandLine;
using IntegrationHealth.Web;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Api.Cli;

/// <summary>
/// <c>keys create --tenant SLUG --scope ingest|read|admin|platform[,...] [--name NAME]</c>: creates an API key (and the tenant
/// if missing). The key alone goes to stdout, the message to stderr, so <c>KEY=$(… keys create …)</c> works.
/// </summary>
internal static class KeysCommand
{
    /// <summary>The <c>keys</c> command with its <c>create</c> sub-command.</summary>
    public static Command Create()
    {
        // 'keys' alone has no action: System.CommandLine reports the missing sub-command.
        return new Command("keys", "Manage API keys.") { CreateCommand() };
    }

    private static Command CreateCommand()
    {
        var tenant = new Option<string>("--tenant")
        {
            Description = "The tenant's slug; the tenant is created if missing.",
            HelpName = "SLUG",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value.Trim();
                if (IsSlug(text)) return text;
                result.AddError("--tenant must be a slug: lower-case letters, digits and '-', up to 100 characters.");
                return null;
            },
        };
        var scope = new Option<ApiKeyScopes>("--scope")
        {
            Description = "What the key may do, comma-separated: ingest (events, upserts), read, admin, platform (operators: /hangfire).",
            HelpName = "ingest|read|admin|platform[,...]",
            Required = true,
            CustomParser = result =>
            {
                if (WireNames.ParseScopeList(result.Tokens[0].Value) is { } scopes) return scopes;
                result.AddError($"--scope must list {string.Join(", ", WireNames.Scopes)} (one or more), comma-separated.");
                return default;
            },
        };
        scope.CompletionSources.Clear();
        scope.CompletionSources.Add(WireNames.Scopes);
        var name = new Option<string>("--name") { Description = "A name for the key, shown in key listings.", HelpName = "NAME" };

        var command = new Command("create", "Create an API key (and the tenant if missing); the key is printed once, alone on stdout.")
        {
            tenant, scope, name,
        };
        command.TreatUnmatchedTokensAsErrors = false; // host settings: --Database:Provider …
        command.SetAction((result, _) => CreateKeyAsync(
            result.GetRequiredValue(tenant), result.GetRequiredValue(scope), result.GetValue(name),
            HostSettings.Of(result), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static async Task<int> CreateKeyAsync(string tenant, ApiKeyScopes scopes, string? name, string[] hostArgs,
        TextWriter stdout, TextWriter stderr)
    {
        using var host = BuildToolHost(hostArgs);
        await StoreMigrator.MigrateAsync(host.Services);
        var issuer = host.Services.GetRequiredService<ApiKeyIssuer>();
        var tenantRow = await issuer.EnsureTenantAsync(tenant);
        var issued = await issuer.CreateAsync(tenantRow.Id, scopes, name);
        await stderr.WriteLineAsync($"Created API key {issued.Entity.Id} for tenant '{tenant}' with scopes {string.Join(",", WireNames.Of(scopes))}. " +
            "It is shown once; store it now:");
        await stdout.WriteLineAsync(issued.Key);
        return 0;
    }

    /// <summary>
    /// A host with the shared plumbing only (the store and key issuing among it; no server, no job server), logging
    /// warnings and errors to stderr: stdout carries the key alone.
    /// </summary>
    private static IHost BuildToolHost(string[] hostArgs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = hostArgs, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        // appsettings.json's per-category levels would let Information through; this tool speaks only when it must.
        builder.Services.Configure<LoggerFilterOptions>(o =>
        {
            o.Rules.Clear();
            o.MinLevel = LogLevel.Warning;
        });
        builder.Services.AddServiceDefaults(builder.Configuration);
        return builder.Build();
    }

    /// <summary>Whether <paramref name="text"/> is a tenant slug: lower-case ASCII letters, digits and '-', 1 to 100 characters.</summary>
    internal static bool IsSlug(string text) =>
        text.Length is > 0 and <= 100 && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
