using System.Data.Common;
using IntegrationHealth.Engine.Auth;
using IntegrationHealth.Engine.Connections;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Tests.Auth;

/// <summary>The store vault: nothing secret in clear in any column, optimistic updates, payloads bound to their row,
/// and the proactive refresh job.</summary>
public sealed class CredentialVaultTests : IAsyncLifetime
{
    private readonly OAuthServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task<int> TenantAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.Tenants.Select(t => t.Id).SingleAsync();
    }

    [Fact]
    public async Task Save_Sqlite_EveryColumnOfTheTable_HoldsNoSecretInClear_AndReadGivesThemBack()
    {
        await using var database = await TestDatabase.MigratedSqliteAsync("ih-vault");
        await NoPlaintextAsync(database);
    }

    [PostgresFact]
    public async Task Save_Postgres_EveryColumnOfTheTable_HoldsNoSecretInClear_AndReadGivesThemBack()
    {
        await using var database = await TestDatabase.MigratedPostgresAsync("ih_vault");
        await NoPlaintextAsync(database);
    }

    private async Task NoPlaintextAsync(TestDatabase database)
    {
        var id = await StoreEngineHost.SeedConnectionAsync(database);
        var key = StoreEngineConnections.CredentialKeyOf(await TenantAsync(database), id);
        await using var host = StoreEngineHost.Create(database, _server.Origin);
        string[] secrets = ["at-SECRET-4f1e", "rt-SECRET-77aa", "cs-SECRET-0b2c"];
        await host.Vault.SaveAsync(key, ConnectionCredentials.Of(("client_id", "public-client"), ("client_secret", secrets[2]), ("refresh_token", secrets[1]))
            .WithToken(secrets[0], null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1)));

        await using var db = database.CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM connection_credentials";
        var cells = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                for (var i = 0; i < reader.FieldCount; i++) cells.Add(Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "");

        Assert.NotEmpty(cells);
        foreach (var secret in secrets.Append("public-client"))
            Assert.DoesNotContain(cells, c => c.Contains(secret, StringComparison.Ordinal) || c.Contains(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret)), StringComparison.Ordinal));
        var read = (await host.Vault.GetAsync(key))!;
        Assert.Equal((secrets[0], secrets[1], secrets[2], 1), (read["access_token"], read["refresh_token"], read["client_secret"], read.Version));
    }

    [Fact]
    public async Task Save_AtAStaleVersion_Conflicts_AndACiphertextCopiedToAnotherRowDoesNotDecrypt()
    {
        await using var database = await TestDatabase.MigratedSqliteAsync("ih-vault2");
        var first = await StoreEngineHost.SeedConnectionAsync(database, "conn-1");
        var second = await StoreEngineHost.SeedConnectionAsync(database, "conn-2");
        var tenant = await TenantAsync(database);
        await using var host = StoreEngineHost.Create(database, _server.Origin);
        var key = StoreEngineConnections.CredentialKeyOf(tenant, first);
        await host.Vault.SaveAsync(key, ConnectionCredentials.Of(("api_key", "k1")));
        await host.Vault.SaveAsync(StoreEngineConnections.CredentialKeyOf(tenant, second), ConnectionCredentials.Of(("api_key", "k2")));
        var read = (await host.Vault.GetAsync(key))!;
        await host.Vault.SaveAsync(key, read with { Fields = new Dictionary<string, string> { ["api_key"] = "k1b" } });

        await Assert.ThrowsAsync<CredentialConflictException>(() => host.Vault.SaveAsync(key, read).AsTask());
        Assert.Equal("k1b", (await host.Vault.GetAsync(key))!["api_key"]);

        await using var db = database.CreateContext();
        var payload = await db.ConnectionCredentials.Where(c => c.ConnectionId == first).Select(c => c.Protected).SingleAsync();
        await db.ConnectionCredentials.Where(c => c.ConnectionId == second).ExecuteUpdateAsync(s => s.SetProperty(c => c.Protected, payload));
        await Assert.ThrowsAnyAsync<System.Security.Cryptography.CryptographicException>(() => host.Vault.GetAsync(StoreEngineConnections.CredentialKeyOf(tenant, second)).AsTask());
    }

    [Fact]
    public async Task RefreshJob_TokenPastItsMargin_RefreshedOnce_ThenNothingToDo()
    {
        await using var database = await TestDatabase.MigratedSqliteAsync("ih-vault3");
        var id = await StoreEngineHost.SeedConnectionAsync(database);
        var tenant = await TenantAsync(database);
        await using var host = StoreEngineHost.Create(database, _server.Origin);
        var (access, refresh) = await _server.AuthorizeAsync();
        // 55 minutes into a 1-hour token: past 5/6 of its lifetime, not expired.
        var issued = DateTimeOffset.UtcNow.AddMinutes(-55);
        var key = StoreEngineConnections.CredentialKeyOf(tenant, id);
        await host.Vault.SaveAsync(key, ConnectionCredentials.Of(("client_id", OAuthServer.ClientId), ("client_secret", OAuthServer.ClientSecret), ("refresh_token", refresh))
            .WithToken(access, null, issued, issued.AddHours(1)));
        var job = host.Services.GetRequiredService<CredentialRefreshJob>();

        await job.RunAsync(CancellationToken.None);
        var afterFirst = (await host.Vault.GetAsync(key))!;
        await job.RunAsync(CancellationToken.None);

        Assert.Equal(1, _server.RefreshRequests);
        Assert.NotEqual(access, afterFirst["access_token"]);
        Assert.NotEqual(refresh, afterFirst["refresh_token"]);
        Assert.Equal(afterFirst["access_token"], (await host.Vault.GetAsync(key))!["access_token"]);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 4320 && r.Message.Contains("1 refreshed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefreshJob_RefreshTokenIdleLongerThanTheInterval_IsExchanged_AYoungerOneIsNot()
    {
        await using var database = await TestDatabase.MigratedSqliteAsync("ih-vault-idle");
        var id = await StoreEngineHost.SeedConnectionAsync(database);
        var tenant = await TenantAsync(database);
        await using var host = StoreEngineHost.Create(database, _server.Origin);
        var (access, refresh) = await _server.AuthorizeAsync();
        // A long-lived access token (90 days, 8 in): far from its refresh margin, so only idleness can make the job refresh.
        var issued = DateTimeOffset.UtcNow.AddDays(-8);
        var key = StoreEngineConnections.CredentialKeyOf(tenant, id);
        await host.Vault.SaveAsync(key, ConnectionCredentials.Of(("client_id", OAuthServer.ClientId), ("client_secret", OAuthServer.ClientSecret), ("refresh_token", refresh))
            .WithToken(access, null, issued, issued.AddDays(90)));
        async Task LastExchangedDaysAgo(int days)
        {
            await using var db = database.CreateContext();
            var at = DateTime.UtcNow.AddDays(-days);
            await db.ConnectionCredentials.Where(c => c.ConnectionId == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.LastRefreshAt, at));
        }
        var job = host.Services.GetRequiredService<CredentialRefreshJob>();

        await LastExchangedDaysAgo(6); // within Engine:Credentials:IdleRefreshInterval (7 days by default)
        await job.RunAsync(CancellationToken.None);
        var requestsWhileYoung = _server.RefreshRequests;
        await LastExchangedDaysAgo(8);
        await job.RunAsync(CancellationToken.None);

        Assert.Equal(0, requestsWhileYoung);
        Assert.Equal(1, _server.RefreshRequests);
        Assert.NotEqual(refresh, (await host.Vault.GetAsync(key))!["refresh_token"]);
    }
}
