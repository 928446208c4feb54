using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Api.Tests.Operations;

/// <summary>
/// <c>POST /hangfire/login</c> is anonymous, so its form is bounded before anything is read: an oversized or
/// malformed form is a 413 or 400 page, never a 500 with a stack trace, and never a cookie.
/// </summary>
public sealed class HangfireLoginLimitsTests(SqliteHostFixture fixture) : IClassFixture<SqliteHostFixture>
{
    private static HttpContent Form(string body)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return content;
    }

    private async Task AssertPageAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<form", text);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.DoesNotContain(fixture.Host.LogLines, l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_ElevenMegabyteForm_Answers413Page()
    {
        using var response = await fixture.Host.Client().PostAsync("/hangfire/login", Form("key=" + new string('a', 11 * 1024 * 1024)));
        await AssertPageAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task SignIn_ChunkedFormOverTheLimit_Answers413Page()
    {
        // The same race as the 11 MB case below, rarer: the server answers after 4 KB and closes with the rest unread,
        // so the client may see the close before the answer. This test failed once in a full Api.Tests run on
        // 2026-12-03 and passed alone and in the runs before and after; its message was not kept, and this race is
        // the likeliest cause. The answer, when it arrives, is the 413 page; either way nothing is logged as an error.
        try
        {
            using var response = await fixture.Host.Client().SendAsync(Chunked(64 * 1024));
            await AssertPageAsync(response, HttpStatusCode.RequestEntityTooLarge);
        }
        catch (HttpRequestException ex) when (ex.InnerException is IOException)
        {
            Assert.DoesNotContain(fixture.Host.LogLines, l => l.StartsWith("Error", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task SignIn_ElevenMegabyteChunkedForm_IsCutOffWithoutAnError()
    {
        // Without Content-Length the server cannot refuse up front: it reads to its 4 KB limit, answers 413 and closes
        // the connection rather than reading on; a client still sending 11 MB may see the close before the answer.
        try
        {
            using var response = await fixture.Host.Client().SendAsync(Chunked(11 * 1024 * 1024));
            await AssertPageAsync(response, HttpStatusCode.RequestEntityTooLarge);
        }
        catch (HttpRequestException ex) when (ex.InnerException is IOException)
        {
            Assert.DoesNotContain(fixture.Host.LogLines, l => l.StartsWith("Error", StringComparison.Ordinal));
        }
    }

    private static HttpRequestMessage Chunked(int bytes)
    {
        var content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes("key=" + new string('a', bytes))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire/login") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        return request;
    }

    [Fact]
    public async Task SignIn_LargeMultipartForm_Answers413Page()
    {
        using var content = new MultipartFormDataContent { { new ByteArrayContent(new byte[11 * 1024 * 1024]), "key", "key.bin" } };
        using var response = await fixture.Host.Client().PostAsync("/hangfire/login", content);
        await AssertPageAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task SignIn_GzipFormThatInflatesToElevenMegabytes_Answers413Page()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize)) gzip.Write(Encoding.ASCII.GetBytes("key=" + new string('a', 11 * 1024 * 1024)));
        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await fixture.Host.Client().PostAsync("/hangfire/login", content);
        await AssertPageAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    /// <summary>Under the 4 KB body limit, over the form's own limits: a 1 KB value, more than 8 fields.</summary>
    public static TheoryData<string> FormsOverFieldLimits => new()
    {
        "key=" + new string('k', 2000),
        string.Join("&", Enumerable.Range(0, 20).Select(i => $"f{i}={i}")),
    };

    [Theory]
    [MemberData(nameof(FormsOverFieldLimits))]
    public async Task SignIn_FormOverItsFieldLimits_Answers400Page(string form)
    {
        using var response = await fixture.Host.Client().PostAsync("/hangfire/login", Form(form));
        await AssertPageAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task SignIn_GzipFormWithAPlatformKey_SignsIn()
    {
        var key = await fixture.Host.CreateKeyAsync("ops", ApiKeyScopes.Platform);
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest)) gzip.Write(Encoding.ASCII.GetBytes("key=" + key));
        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        content.Headers.ContentEncoding.Add("gzip");
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = fixture.Host.BaseAddress };

        using var response = await browser.PostAsync("/hangfire/login", content);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(response.Headers.Contains("Set-Cookie"));
    }
}
