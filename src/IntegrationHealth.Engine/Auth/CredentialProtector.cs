using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace IntegrationHealth.Engine.Auth;

/// <summary>
/// Encrypts credential fields with ASP.NET Core Data Protection (the store's shared key ring, so every process can
/// decrypt). Each payload's purpose includes the row it belongs to, so a ciphertext copied into another connection's
/// row (or another tenant's app) does not decrypt there.
/// </summary>
public sealed class CredentialProtector(IDataProtectionProvider provider)
{
    private const string Purpose = "IntegrationHealth.Engine.Credentials.v1";

    public string Protect(string owner, IReadOnlyDictionary<string, string> fields) =>
        provider.CreateProtector(Purpose, owner).Protect(JsonSerializer.Serialize(fields));

    public Dictionary<string, string> Unprotect(string owner, string payload) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(provider.CreateProtector(Purpose, owner).Unprotect(payload))
        ?? new Dictionary<string, string>(StringComparer.Ordinal);

    public string ProtectSecret(string owner, string secret) => provider.CreateProtector(Purpose, owner).Protect(secret);

    public string UnprotectSecret(string owner, string payload) => provider.CreateProtector(Purpose, owner).Unprotect(payload);
}
