using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IntegrationHealth.Api.Hosting;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.DataProtection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace IntegrationHealth.Api.Tests.Hosting;

/// <summary>
/// Data Protection keys live in the store, so processes on one database share them (a dashboard cookie issued by one
/// web process is honoured by another), and how they are stored is an explicit choice, not a start-up warning.
/// </summary>
public sealed class DataProtectionTests
{
    [Fact]
    public async Task HangfireCookie_IssuedByOneProcess_IsHonouredByAnotherOnTheSameStore()
    {
        await using var database = TestDatabase.Sqlite();
        await using var first = await ApiTestHost.StartAsync(database, new Dictionary<string, string?> { ["Roles"] = "Web" }, ownsDatabase: false);
        await using var second = await ApiTestHost.StartAsync(database, new Dictionary<string, string?> { ["Roles"] = "Web" }, ownsDatabase: false);
        var admin = await first.CreateKeyAsync("ops", ApiKeyScopes.Platform);

        var cookie = await SignInAsync(first, admin);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        request.Headers.Add("Cookie", cookie);
        using var response = await second.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = await first.QueryAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        var key = Assert.Single(keys);
        Assert.Contains("unencryptedKey", key); // the documented default: stored unencrypted, and marked so
        Assert.DoesNotContain(first.LogLines.Concat(second.LogLines), e => e.Contains("No XML encryptor", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CertificateConfigured_KeysAreStoredEncrypted()
    {
        await using var database = TestDatabase.Sqlite();
        var pfx = Path.Combine(Path.GetTempPath(), $"ih-dp-{Guid.NewGuid():N}.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=IntegrationHealth Data Protection test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "s3cret"));
        }
        try
        {
            await using var host = await ApiTestHost.StartAsync(database, new Dictionary<string, string?>
            {
                ["Roles"] = "Web",
                [StoreDataProtection.CertificatePathKey] = pfx,
                [StoreDataProtection.CertificatePasswordKey] = "s3cret",
            });
            var admin = await host.CreateKeyAsync("ops", ApiKeyScopes.Platform);

            var cookie = await SignInAsync(host, admin);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
            request.Headers.Add("Cookie", cookie);
            using var response = await host.Client().SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var key = Assert.Single(await host.QueryAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync()));
            Assert.Contains("EncryptedData", key);
            Assert.DoesNotContain("unencryptedKey", key);
            Assert.DoesNotContain("<masterKey", key);
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [Fact]
    public async Task CertificatePathUnreadable_FailsAtStartNamingTheSetting()
    {
        await using var database = TestDatabase.Sqlite();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var app = ApiHost.BuildWeb([], builder =>
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Logging.ClearProviders();
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Database:Provider"] = "sqlite", ["Database:ConnectionString"] = database.ConnectionString, ["Roles"] = "Web",
                    [StoreDataProtection.CertificatePathKey] = "/nonexistent/keys.pfx",
                });
            });
            await app.StartAsync();
        });
        Assert.Contains(StoreDataProtection.CertificatePathKey, error.Message);
    }

    /// <summary>Signs in at /hangfire/login and returns the cookie as a request header value.</summary>
    private static async Task<string> SignInAsync(ApiTestHost host, string operatorKey)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var browser = new HttpClient(handler) { BaseAddress = host.BaseAddress };
        using var signIn = await browser.PostAsync("/hangfire/login", new FormUrlEncodedContent([new("key", operatorKey)]));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        return setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }
}
