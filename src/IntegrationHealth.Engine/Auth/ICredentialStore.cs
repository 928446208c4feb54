using System.Collections.Concurrent;

namespace IntegrationHealth.Engine.Auth;

/// <summary>
/// Where connections' credentials are kept. The seam for the encrypted token vault: this session ships only
/// <see cref="InMemoryCredentialStore"/>; a store-backed implementation (encrypted at rest, re-read under the
/// per-connection refresh lock) replaces it by registration.
/// </summary>
public interface ICredentialStore
{
    ValueTask<ConnectionCredentials?> GetAsync(string credentialKey, CancellationToken cancellationToken = default);

    ValueTask SaveAsync(string credentialKey, ConnectionCredentials credentials, CancellationToken cancellationToken = default);
}

/// <summary>Credentials in this process's memory only: lost on restart, not shared between processes.</summary>
public sealed class InMemoryCredentialStore : ICredentialStore
{
    private readonly ConcurrentDictionary<string, ConnectionCredentials> _credentials = new(StringComparer.Ordinal);

    public ValueTask<ConnectionCredentials?> GetAsync(string credentialKey, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_credentials.TryGetValue(credentialKey, out var c) ? c : null);

    public ValueTask SaveAsync(string credentialKey, ConnectionCredentials credentials, CancellationToken cancellationToken = default)
    {
        _credentials[credentialKey] = credentials;
        return ValueTask.CompletedTask;
    }
}
