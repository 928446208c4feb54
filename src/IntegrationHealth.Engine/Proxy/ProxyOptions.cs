using System.Net;

namespace IntegrationHealth.Engine.Proxy;

/// <summary>The proxy's network rules and limits (configuration section <c>Engine:Proxy</c>).</summary>
public sealed class ProxyOptions
{
    public const string Section = "Engine:Proxy";

    /// <summary>
    /// Networks (CIDR, e.g. <c>127.0.0.1/32</c>, <c>10.20.0.0/16</c>) the proxy may connect to although they are
    /// loopback, link-local, private or unspecified, which are refused by default (server-side request forgery: a
    /// definition or connection value pointing at the metadata service or an internal host). Empty by default; the
    /// tests and the demo allow <c>127.0.0.1/32</c> for their local provider doubles.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>Largest request body streamed upstream, in bytes (the server's own limit is lifted to this on proxy
    /// routes); null: no limit.</summary>
    public long? MaxRequestBodyBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Longest time the upstream may stay silent (no bytes either way) before the call ends with a 504.</summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Upstream connections kept per host; new ones beyond it wait.</summary>
    public int MaxConnectionsPerServer { get; set; } = 256;

    /// <summary>The parsed <see cref="AllowedNetworks"/>; invalid entries are refused at start-up by validation.</summary>
    public IReadOnlyList<IPNetwork> ParsedAllowedNetworks() =>
        [.. AllowedNetworks.Select(n => IPNetwork.TryParse(n, out var network) ? network : throw new FormatException($"'{n}' is not a CIDR network."))];
}
