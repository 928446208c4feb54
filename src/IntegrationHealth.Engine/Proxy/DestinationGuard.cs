using System.Net;
using System.Net.Sockets;

namespace IntegrationHealth.Engine.Proxy;

/// <summary>The proxy refused to connect to an address (loopback, link-local, private, unspecified).</summary>
public sealed class DestinationRefusedException(string host, IPAddress address)
    : Exception($"The upstream host '{host}' resolves to {address}, which the engine may not connect to (Engine:AllowedNetworks, Engine:Proxy:AllowedNetworks).")
{
    public string Host { get; } = host;
    public IPAddress Address { get; } = address;
}

/// <summary>
/// Decides which addresses the proxy may connect to, on the addresses a name resolves to at connect time (not on the
/// URL's spelling: <c>127.1</c>, <c>0x7f000001</c>, <c>2130706433</c>, <c>[::ffff:127.0.0.1]</c> and names resolving to
/// loopback all arrive here as the address they are), so DNS rebinding and odd spellings cannot slip past a string
/// check. Used as the <see cref="SocketsHttpHandler.ConnectCallback"/> of the proxy's handler and of the executor's
/// and token requests' handlers (a tenant may upload a definition naming any host). <paramref name="trusted"/> are
/// host:port pairs the operator configured (origin overrides), connected to without the address check.
/// </summary>
public sealed class DestinationGuard(IReadOnlyList<IPNetwork> allowed, IReadOnlyCollection<DnsEndPoint>? trusted = null)
{
    private static readonly IPNetwork[] Refused =
    [
        IPNetwork.Parse("0.0.0.0/8"),        // "this network", 0.0.0.0 reaches the local host
        IPNetwork.Parse("127.0.0.0/8"),      // loopback
        IPNetwork.Parse("10.0.0.0/8"),       // private
        IPNetwork.Parse("172.16.0.0/12"),    // private
        IPNetwork.Parse("192.168.0.0/16"),   // private
        IPNetwork.Parse("169.254.0.0/16"),   // link-local, cloud metadata at 169.254.169.254
        IPNetwork.Parse("100.64.0.0/10"),    // carrier-grade NAT (internal in most clouds)
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("240.0.0.0/4"),      // reserved, broadcast
        IPNetwork.Parse("::/128"),           // unspecified
        IPNetwork.Parse("::1/128"),          // loopback
        IPNetwork.Parse("fe80::/10"),        // link-local
        IPNetwork.Parse("fc00::/7"),         // unique local
        IPNetwork.Parse("ff00::/8"),         // multicast
        IPNetwork.Parse("64:ff9b::/96"),     // NAT64 of IPv4 (would reach any refused IPv4 address)
    ];

    /// <summary>Whether the proxy may connect to <paramref name="address"/>; IPv4-mapped IPv6 is judged as IPv4.</summary>
    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in allowed)
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address)) return true;
        foreach (var network in Refused)
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address)) return false;
        return true;
    }

    /// <summary>Resolves the host, refuses it when any of its addresses is refused (a name must not mix public and
    /// internal answers), and connects to the first address that answers.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        var isTrusted = trusted?.Any(t => t.Port == endpoint.Port && string.Equals(t.Host.Trim('[', ']'), endpoint.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)) == true;
        foreach (var address in addresses)
            if (!isTrusted && !IsAllowed(address)) throw new DestinationRefusedException(endpoint.Host, address);

        SocketException? last = null;
        foreach (var resolved in addresses)
        {
            // An IPv4-mapped address is connected to as the IPv4 address it is (an IPv6-only socket could not reach it).
            var address = resolved.IsIPv4MappedToIPv6 ? resolved.MapToIPv4() : resolved;
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
