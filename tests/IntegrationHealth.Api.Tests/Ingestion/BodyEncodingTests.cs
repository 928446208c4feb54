using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHealth.Api.Tests.Infrastructure;
using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Api.Tests.Ingestion;

/// <summary>A seeded host with a small body limit, so a decompression bomb is cheap to build.</summary>
public sealed class EncodingHostFixture : SeededHostFixture
{
    public const int MaxBodyBytes = 64 * 1024;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Ingestion:MaxBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// Content-Encoding and charset: gzip and br bodies are decoded, with the size limit on the decoded bytes (a bomb is a
/// 413); a body labelled gzip that is not is a 400; any other coding is a 415 with Accept-Encoding; a quoted charset
/// parameter is the same charset. Nothing is stored on a refused request.
/// </summary>
public sealed class BodyEncodingTests(EncodingHostFixture fixture) : IClassFixture<EncodingHostFixture>
{
    private static byte[] Gzip(byte[] data, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, level)) gzip.Write(data);
        return output.ToArray();
    }

    private static byte[] Brotli(byte[] data)
    {
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Fastest)) brotli.Write(data);
        return output.ToArray();
    }

    private static HttpContent Encoded(byte[] body, string contentEncoding, string contentType = "application/json")
    {
        var content = TestHttp.Raw(body, contentType);
        content.Headers.ContentEncoding.Add(contentEncoding);
        return content;
    }

    private static byte[] EventsJson(int count, string account = "acct-1") =>
        Encoding.UTF8.GetBytes(new JsonArray([.. Enumerable.Range(0, count).Select(_ => (JsonNode)TestEvents.Valid(account))]).ToJsonString());

    /// <summary>A JSON array padded with spaces to <paramref name="decodedBytes"/>: a few KB once compressed.</summary>
    private static byte[] Bomb(int decodedBytes)
    {
        var body = new byte[decodedBytes];
        body.AsSpan().Fill((byte)' ');
        body[0] = (byte)'[';
        body[^1] = (byte)']';
        return body;
    }

    /// <summary>Flips bits in the compressed data (past the 10-byte header): the CRC and the data no longer agree.</summary>
    private static byte[] Corrupt(byte[] gzip)
    {
        for (var i = 12; i < 24; i++) gzip[i] ^= 0x5A;
        return gzip;
    }

    private Task<int> EventsOfAsync(string account) =>
        fixture.Host.QueryAsync(db => db.TelemetryEvents.CountAsync(e => db.Accounts.Any(a => a.Id == e.AccountId && a.ExternalId == account)));

    [Theory]
    [InlineData("gzip")]
    [InlineData("GZIP")]
    [InlineData("x-gzip")]
    [InlineData("br")]
    [InlineData("identity")]
    public async Task PostEvents_EncodedBody_IsDecodedAndStored(string coding)
    {
        var plain = EventsJson(3, "acct-2");
        var body = coding.Equals("br", StringComparison.Ordinal) ? Brotli(plain) : coding == "identity" ? plain : Gzip(plain);
        var before = await EventsOfAsync("acct-2");
        using var client = fixture.Host.Client(fixture.Key);
        using var response = await client.PostAsync("/v1/events", Encoded(body, coding));

        await TestHttp.EnsureSuccessAsync(response);
        Assert.Equal("{\"accepted\":3,\"duplicates\":0}", await response.Content.ReadAsStringAsync());
        Assert.Equal(before + 3, await EventsOfAsync("acct-2"));
    }

    [Fact]
    public async Task PostEvents_BrotliNdjsonAndGzipUpsert_AreDecoded()
    {
        using var client = fixture.Host.Client(fixture.Key);
        var ndjson = Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Range(0, 2).Select(_ => TestEvents.Valid("acct-2").ToJsonString())) + "\n");
        using var events = await client.PostAsync("/v1/events", Encoded(Brotli(ndjson), "br", "application/x-ndjson"));
        using var accounts = await client.PostAsync("/v1/accounts", Encoded(Gzip("[{\"externalId\":\"gzipped\",\"name\":\"Gzipped\"}]"u8.ToArray()), "gzip"));

        Assert.Equal("{\"accepted\":2,\"duplicates\":0}", await events.Content.ReadAsStringAsync());
        Assert.Equal("{\"inserted\":1,\"updated\":0}", await accounts.Content.ReadAsStringAsync());
        Assert.Equal("Gzipped", (await client.GetFromJsonAsync<JsonObject>("/v1/accounts/gzipped"))!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("gzip", "/v1/events")]
    [InlineData("br", "/v1/events")]
    [InlineData("gzip", "/v1/accounts")]
    [InlineData("br", "/v1/keys")]
    public async Task Post_DecompressionBomb_Answers413AndStoresNothing(string coding, string path)
    {
        // 16 MB of JSON in a few KB: within the 64 KB limit on the wire, far over it decoded.
        var decoded = Bomb(16 * 1024 * 1024);
        var body = coding == "br" ? Brotli(decoded) : Gzip(decoded, CompressionLevel.SmallestSize);
        Assert.True(body.Length < EncodingHostFixture.MaxBodyBytes, $"the bomb is {body.Length} bytes on the wire");
        using var client = fixture.Host.Client(path == "/v1/keys" ? await fixture.Host.CreateKeyAsync("acme", ApiKeyScopes.Admin) : fixture.Key);
        var before = await CountsAsync();

        using var response = await client.PostAsync(path, Encoded(body, coding));

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task PostEvents_ChunkedDecompressionBomb_Answers413()
    {
        var content = new StreamContent(new MemoryStream(Gzip(Bomb(16 * 1024 * 1024), CompressionLevel.SmallestSize)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var before = await CountsAsync();
        using var client = fixture.Host.Client(fixture.Key);

        using var response = await client.SendAsync(request);

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await CountsAsync());
    }

    public static TheoryData<string, string> MislabelledBodies => new()
    {
        { "gzip", "plain JSON" },
        { "br", "plain JSON" },
        { "gzip", "truncated gzip" },
        { "gzip", "corrupted gzip" },
        { "br", "gzip" },
    };

    [Theory]
    [MemberData(nameof(MislabelledBodies))]
    public async Task Post_BodyNotInItsContentEncoding_Answers400AndStoresNothing(string coding, string what)
    {
        var plain = EventsJson(2);
        var body = what switch
        {
            "plain JSON" => plain,
            "truncated gzip" => Gzip(plain)[..^12],
            "corrupted gzip" => Corrupt(Gzip(plain)),
            _ => Gzip(plain),
        };
        var before = await CountsAsync();
        using var client = fixture.Host.Client(fixture.Key);
        using var events = await client.PostAsync("/v1/events", Encoded(body, coding));
        using var accounts = await client.PostAsync("/v1/accounts", Encoded(what == "plain JSON" ? "[{\"externalId\":\"mislabelled\",\"name\":\"x\"}]"u8.ToArray() : body, coding));

        await TestHttp.AssertProblemWithFieldAsync(events, HttpStatusCode.BadRequest, "$");
        await TestHttp.AssertProblemWithFieldAsync(accounts, HttpStatusCode.BadRequest, "$");
        Assert.Equal(before, await CountsAsync());
        Assert.DoesNotContain(fixture.Host.LogLines, l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("compress")]
    [InlineData("deflate")]
    [InlineData("gzip, br")]
    [InlineData("gzip, gzip")]
    [InlineData("br;q=1")]
    public async Task Post_UnsupportedContentEncoding_Answers415WithAcceptEncoding(string coding)
    {
        var before = await CountsAsync();
        using var client = fixture.Host.Client(fixture.Key);
        foreach (var path in new[] { "/v1/events", "/v1/accounts" })
        {
            var content = TestHttp.Raw(Gzip(EventsJson(1)), "application/json");
            content.Headers.TryAddWithoutValidation("Content-Encoding", coding);
            using var response = await client.PostAsync(path, content);

            await TestHttp.AssertProblemWithFieldAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Encoding");
            Assert.Equal("gzip, br", string.Join(", ", response.Headers.GetValues("Accept-Encoding")));
        }
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("application/json; charset=\"UTF-8\"")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json;charset=\"utf8\"")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/x-ndjson; charset=\"UTF-8\"")]
    public async Task PostEvents_QuotedOrPlainUtf8Charset_IsAccepted(string contentType)
    {
        var body = contentType.StartsWith("application/x-ndjson", StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(TestEvents.Valid("acct-2").ToJsonString() + "\n")
            : EventsJson(1, "acct-2");
        using var client = fixture.Host.Client(fixture.Key);
        using var events = await client.PostAsync("/v1/events", TestHttp.Raw(body, contentType));
        using var accounts = await client.PostAsync("/v1/accounts", TestHttp.Raw("[{\"externalId\":\"charset\",\"name\":\"c\"}]"u8.ToArray(),
            contentType.Replace("application/x-ndjson", "application/json", StringComparison.Ordinal)));

        Assert.Equal("{\"accepted\":1,\"duplicates\":0}", await events.Content.ReadAsStringAsync());
        await TestHttp.EnsureSuccessAsync(accounts);
    }

    [Theory]
    [InlineData("application/json; charset=\"ISO-8859-1\"")]
    [InlineData("application/json; charset=\"utf-16\"")]
    public async Task Upsert_QuotedOtherCharset_Answers415(string contentType)
    {
        using var client = fixture.Host.Client(fixture.Key);
        using var response = await client.PostAsync("/v1/accounts", TestHttp.Raw("[{\"externalId\":\"latin\",\"name\":\"l\"}]"u8.ToArray(), contentType));
        await TestHttp.AssertProblemWithFieldAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    private Task<(int, int, int)> CountsAsync() => fixture.Host.QueryAsync(async db =>
        (await db.TelemetryEvents.CountAsync(), await db.Accounts.CountAsync(), await db.ApiKeys.CountAsync()));
}
