using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Unified;

/// <summary>Where a unified listing continues: the provider's page (null: the first) and how many of its records were
/// already returned, bound to the tenant, connection, provider resource and filters it was given out for.</summary>
public sealed record UnifiedCursorState(int TenantId, int ConnectionId, string Scope, string Filters, string? Position, int Skip);

/// <summary>
/// The unified API's opaque cursor: the state, encrypted and authenticated with ASP.NET Data Protection (keys shared by
/// every process through the store) and time-limited. A cursor that was edited, is too old, or belongs to another
/// tenant, connection, resource or set of filters does not open, and the API answers 400.
/// </summary>
public sealed class UnifiedCursor(IDataProtectionProvider protection, IOptions<UnifiedOptions> options)
{
    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("IntegrationHealth.Engine.Unified.Cursor.v1").ToTimeLimitedDataProtector();

    public string Protect(UnifiedCursorState state)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Payload(state.TenantId, state.ConnectionId, state.Scope, state.Filters, state.Position, state.Skip));
        return Base64Url.EncodeToString(_protector.Protect(json, DateTimeOffset.UtcNow + options.Value.CursorLifetime));
    }

    /// <summary>The cursor's state when it opens and was given out for exactly this tenant, connection, scope and filters.</summary>
    public UnifiedCursorState? Open(string cursor, int tenantId, int connectionId, string scope, string filters)
    {
        if (cursor.Length > 8192) return null;
        try
        {
            var bytes = _protector.Unprotect(Base64Url.DecodeFromChars(cursor), out _);
            var p = JsonSerializer.Deserialize<Payload>(bytes);
            if (p is null || p.T != tenantId || p.C != connectionId || p.R != scope || p.F != filters || p.S < 0) return null;
            return new UnifiedCursorState(p.T, p.C, p.R, p.F, p.P, p.S);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>A short digest of the filters (name=value, sorted), so a cursor cannot continue another query.</summary>
    public static string FiltersDigest(IEnumerable<KeyValuePair<string, string>> filters)
    {
        var text = string.Join('\n', filters.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value));
        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));
    }

    private sealed record Payload(int T, int C, string R, string F, string? P, int S);
}
