using System.Net;
using System.Text;
using System.Text.Json;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.StatusPage.Tests.Subscriptions;

/// <summary>Bad input to the public subscription endpoints, as an attacker would send it: 400/404/413/415/429 problem
/// details, never a 500, nothing stored. Webhooks to private addresses are refused (the default setting).</summary>
public sealed class SubscriptionBadInputTests
{
    private static async Task<(StatusTestHost Host, HttpClient Client, int ComponentId, int ForeignComponent)> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var host = await StatusTestHost.StartAsync(settings);
        var admin = host.Client(await host.CreateKeyAsync("acme", ApiKeyScopes.Admin));
        await Http.SendAsync(admin, HttpMethod.Put, "/v1/status-page", """{"slug":"acme","name":"Acme"}""", 200);
        var component = await Http.PostAsync(admin, "/v1/status-page/components", """{"name":"Salesforce"}""");
        var other = host.Client(await host.CreateKeyAsync("other", ApiKeyScopes.Admin));
        await Http.SendAsync(other, HttpMethod.Put, "/v1/status-page", """{"slug":"other","name":"Other"}""", 200);
        var foreign = await Http.PostAsync(other, "/v1/status-page/components", """{"name":"Theirs"}""");
        return (host, host.Client(), component.GetProperty("id").GetInt32(), foreign.GetProperty("id").GetInt32());
    }

    [Theory]
    [InlineData("""{"email":"not-an-address"}""", "email")]
    [InlineData("""{"email":"two@@example.com"}""", "email")]
    [InlineData("""{"email":"Name <a@example.com>"}""", "email")]
    [InlineData("""{"email":"a@example.com\r\nBcc: x@example.com"}""", "email")]
    [InlineData("""{"email":"a@localhost"}""", "email")]
    [InlineData("""{"email":42}""", "email")]
    [InlineData("""{}""", "email")]
    [InlineData("""{"email":"a@example.com","webhookUrl":"https://example.com/h"}""", "email")]
    [InlineData("""{"email":"a@example.com","components":[999999]}""", "components")]
    [InlineData("""{"email":"a@example.com","components":"all"}""", "components")]
    [InlineData("""{"email":"a@example.com","components":[-1]}""", "components")]
    [InlineData("""{"email":"a@example.com","admin":true}""", "admin")]
    [InlineData("""{"webhookUrl":"http://example.com/hook"}""", "webhookUrl")]
    [InlineData("""{"webhookUrl":"https://127.0.0.1/hook"}""", "webhookUrl")]
    [InlineData("""{"webhookUrl":"https://169.254.169.254/latest/meta-data"}""", "webhookUrl")]
    [InlineData("""{"webhookUrl":"https://10.0.0.8/hook"}""", "webhookUrl")]
    [InlineData("""{"webhookUrl":"https://[::1]/hook"}""", "webhookUrl")]
    [InlineData("""{"webhookUrl":"https://localhost/hook"}""", "webhookUrl")]
    [InlineData("""{"webhookUrl":"https://user:pw@example.com/hook"}""", "webhookUrl")]
    [InlineData("""{"webhookUrl":"ftp://example.com/hook"}""", "webhookUrl")]
    [InlineData("[1,2]", null)]
    [InlineData("{\"email\":", null)]
    public async Task Subscribe_BadJson_Is400AndStoresNothing(string json, string? field)
    {
        var (host, client, _, _) = await StartAsync();
        await using var _1 = host;
        using var _2 = client;
        using var response = await client.PostAsync("/pages/acme/subscribers", new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{json}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
            Assert.Contains(JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Equal(0, await host.QueryAsync(db => db.StatusSubscribers.CountAsync()));
        Assert.Equal(0, await host.QueryAsync(db => db.WebhookEndpoints.CountAsync()));
        Assert.Equal(0, await host.QueryAsync(db => db.StatusNotifications.CountAsync()));
    }

    [Fact]
    public async Task Subscribe_OtherTenantsComponent_BadFormAndMediaType_Oversized_UnknownPage()
    {
        var (host, client, componentId, foreignComponent) = await StartAsync();
        await using var _1 = host;
        using var _2 = client;
        await Http.PostAsync(client, "/pages/acme/subscribers", $$"""{"email":"a@example.com","components":[{{foreignComponent}}]}""", 400);
        await Http.PostAsync(client, "/pages/nope/subscribers", """{"email":"a@example.com"}""", 404);

        using (var form = await client.PostAsync("/pages/acme/subscribers", new FormUrlEncodedContent([new("email", "x"), new("component", "abc")])))
            Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        using (var form = await client.PostAsync("/pages/acme/subscribers", new FormUrlEncodedContent([new("email", "a@example.com"), new("webhookUrl", "https://example.com")])))
            Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        using (var text = await client.PostAsync("/pages/acme/subscribers", new StringContent("email=a@example.com", Encoding.UTF8, "text/plain")))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        var huge = $$"""{"email":"a@example.com","components":[{{string.Join(',', Enumerable.Repeat(componentId, 40_000))}}]}""";
        using (var big = await client.PostAsync("/pages/acme/subscribers", new StringContent(huge, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
            Assert.Equal("application/problem+json", big.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(0, await host.QueryAsync(db => db.StatusSubscribers.CountAsync()));
    }

    [Theory]
    [InlineData("/pages/acme/subscribers/confirm")]
    [InlineData("/pages/acme/subscribers/confirm?token=short")]
    [InlineData("/pages/acme/subscribers/confirm?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/pages/acme/subscribers/unsubscribe?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/pages/nope/subscribers/unsubscribe?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Links_WithWrongToken_Are404(string path)
    {
        var (host, client, _, _) = await StartAsync();
        await using var _1 = host;
        using var _2 = client;
        await Http.GetAsync(client, path, 404);
        using var post = await client.PostAsync(path.Replace("/confirm", "/unsubscribe", StringComparison.Ordinal), null);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        using var rotate = await client.PostAsync(path.Replace("/confirm", "/rotate-secret", StringComparison.Ordinal).Replace("/unsubscribe", "/rotate-secret", StringComparison.Ordinal), null);
        Assert.Equal(HttpStatusCode.NotFound, rotate.StatusCode);
    }

    [Fact]
    public async Task Subscribe_PendingCapReached_Is429AndCapsWebhooks()
    {
        var (host, client, _, _) = await StartAsync(new Dictionary<string, string?>
        {
            ["StatusPage:Subscriptions:MaxPendingPerPage"] = "2", ["StatusPage:Subscriptions:MaxWebhooksPerPage"] = "1",
            ["Webhooks:AllowPrivateAddresses"] = "true",
        });
        await using var _1 = host;
        using var _2 = client;
        await Http.PostAsync(client, "/pages/acme/subscribers", """{"email":"a@example.com"}""", 202);
        await Http.PostAsync(client, "/pages/acme/subscribers", """{"email":"b@example.com"}""", 202);
        await Http.PostAsync(client, "/pages/acme/subscribers", """{"email":"c@example.com"}""", 429);
        await Http.PostAsync(client, "/pages/acme/subscribers", """{"email":"a@example.com"}""", 202); // a known address is no new pending row
        await Http.PostAsync(client, "/pages/acme/subscribers", """{"webhookUrl":"http://127.0.0.1:9/a"}""", 201);
        await Http.PostAsync(client, "/pages/acme/subscribers", """{"webhookUrl":"http://127.0.0.1:9/b"}""", 429);
        Assert.Equal(3, await host.QueryAsync(db => db.StatusSubscribers.CountAsync()));
    }

    [Fact]
    public async Task AdminSubscribers_OtherTenantsId_Is404_DeleteRemovesEndpoint()
    {
        var (host, client, _, _) = await StartAsync(new Dictionary<string, string?> { ["Webhooks:AllowPrivateAddresses"] = "true" });
        await using var _1 = host;
        using var _2 = client;
        var created = await Http.PostAsync(client, "/pages/acme/subscribers", """{"webhookUrl":"http://127.0.0.1:9/a"}""", 201);
        var id = created.GetProperty("id").GetInt32();
        using var other = host.Client(await host.CreateKeyAsync("other", ApiKeyScopes.Admin));
        await Http.SendAsync(other, HttpMethod.Delete, $"/v1/status-page/subscribers/{id}", null, 404);
        Assert.Equal(0, (await Http.GetAsync(other, "/v1/status-page/subscribers")).GetArrayLength());
        using var admin = host.Client(await host.CreateKeyAsync("acme", ApiKeyScopes.Admin));
        await Http.SendAsync(admin, HttpMethod.Delete, $"/v1/status-page/subscribers/{id}", null, 204);
        Assert.Equal(0, await host.QueryAsync(db => db.StatusSubscribers.CountAsync()));
        Assert.Equal(0, await host.QueryAsync(db => db.WebhookEndpoints.CountAsync()));
    }

    [Theory]
    [InlineData("PublicBaseUrl", "not a url")]
    [InlineData("PublicBaseUrl", "ftp://status.example")]
    [InlineData("Smtp:Port", "0")]
    [InlineData("Smtp:Host", "")]
    [InlineData("Smtp:From", "nobody")]
    [InlineData("Smtp:Tls", "Maybe")]
    [InlineData("ConfirmationLifetime", "00:00:10")]
    [InlineData("MaxPendingPerPage", "0")]
    [InlineData("Smtp:UserName", "only-user")]
    public async Task Options_Invalid_AreRefusedAtStartNamingTheSection(string key, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = await StatusTestHost.StartAsync(new Dictionary<string, string?> { ["StatusPage:Subscriptions:" + key] = value });
        });
        Assert.Contains("StatusPage:Subscriptions", error.Message);
    }
}
