using System.Net;
using System.Net.Sockets;

namespace IntegrationHealth.Web.Webhooks;

/// <summary>
/// Which endpoint URLs a tenant may register: absolute <c>https</c> URLs without user info whose host is not a
/// loopback, private, link-local or otherwise internal address, so a tenant cannot make the service post into its own
/// network (SSRF). Host names are checked again when delivering, against what they resolve to then
/// (<see cref="IsPublic(IPAddress)"/>), because DNS can change after registration.
/// <c>Webhooks:AllowPrivateAddresses</c> lifts both rules (development, tests on 127.0.0.1).
/// </summary>
public static class WebhookUrlPolicy
{
    /// <summary>Why <paramref name="text"/> cannot be an endpoint URL, or null when it can.</summary>
    public static string? Problem(string text, bool allowPrivate)
    {
        if (text.Length > 2000) return "'url' is longer than 2000 characters.";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) return "'url' must be an absolute URL.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "'url' must not carry user information.";
        if (!string.IsNullOrEmpty(uri.Fragment)) return "'url' must not carry a fragment.";
        if (uri.Scheme != Uri.UriSchemeHttps && !(allowPrivate && uri.Scheme == Uri.UriSchemeHttp))
            return "'url' must use https.";
        if (allowPrivate) return null;
        var host = uri.IdnHost;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".local", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase))
            return "'url' must not point at a local or internal host.";
        if (IPAddress.TryParse(host.Trim('[', ']'), out var address) && !IsPublic(address))
            return "'url' must not point at a loopback, private or link-local address.";
        if (!host.Contains('.') && address is null) return "'url' must name a fully qualified host.";
        return null;
    }

    /// <summary>True for an address on the public internet (not loopback, private, link-local, CGNAT, multicast,
    /// unspecified, documentation or unique-local; IPv4-mapped IPv6 addresses are judged as their IPv4 address).</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || (b[0] == 169 && b[1] == 254) || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || (b[0] == 192 && b[1] == 0 && b[2] == 2)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19)) || b[0] >= 224);
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8));
        }
        return false;
    }
}
