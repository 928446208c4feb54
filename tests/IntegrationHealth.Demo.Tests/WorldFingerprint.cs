using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IntegrationHealth.Demo.World;

namespace IntegrationHealth.Demo.Tests;

/// <summary>SHA-256 over a canonical text form of a whole world, events included: equal fingerprints mean equal worlds.</summary>
internal static class WorldFingerprint
{
    public static string Of(DemoWorld world)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Line(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        foreach (var a in world.Accounts)
        {
            Line(string.Join('|', a.ExternalId, a.Name, a.Segment, a.Arr.ToString(CultureInfo.InvariantCulture), a.Plan, a.Seats, a.Csm,
                a.CreatedAt.Ticks, a.ChurnedAt?.Ticks, a.LatentRisk.ToString("R", CultureInfo.InvariantCulture), a.HealthyConnections, a.Drivers));
            foreach (var c in a.Connections)
            {
                Line(string.Join('|', c.ExternalId, c.ProviderIndex, c.AuthKind, c.FinalStatus, c.CreatedAt.Ticks, c.LastSyncAt?.Ticks,
                    string.Join(',', c.Episodes)));
            }
        }
        foreach (var t in world.Tickets)
        {
            Line(t.ToString());
        }
        foreach (var s in world.Surveys)
        {
            Line(s.ToString());
        }
        foreach (var e in DemoEventStream.All(world))
        {
            Line(e.ToString());
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
