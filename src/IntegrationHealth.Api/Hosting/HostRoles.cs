namespace IntegrationHealth.Api.Hosting;

/// <summary>What a process does (configuration <c>Roles</c>, e.g. <c>Web,Jobs</c>, the default).</summary>
[Flags]
public enum HostRoles
{
    None = 0,
    /// <summary>Serves HTTP: the API, dashboard, probes and metrics.</summary>
    Web = 1,
    /// <summary>Runs a Hangfire job server.</summary>
    Jobs = 2,
    All = Web | Jobs,
}

/// <summary>Parses <see cref="HostRoles"/> from configuration.</summary>
public static class HostRolesParser
{
    public const string Key = "Roles";

    /// <summary>The configured roles; <see cref="HostRoles.All"/> when unset.</summary>
    /// <exception cref="InvalidOperationException">An unknown role name, or an empty list.</exception>
    public static HostRoles From(IConfiguration configuration)
    {
        var text = configuration[Key];
        if (string.IsNullOrWhiteSpace(text)) return HostRoles.All;
        var roles = HostRoles.None;
        foreach (var part in text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            roles |= part.ToLowerInvariant() switch
            {
                "web" => HostRoles.Web,
                "jobs" => HostRoles.Jobs,
                _ => throw new InvalidOperationException($"Roles: unknown role '{part}'; use Web, Jobs or both (e.g. \"Web,Jobs\")."),
            };
        }
        return roles == HostRoles.None ? throw new InvalidOperationException("Roles must name at least one of Web, Jobs.") : roles;
    }
}
