using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHealth.Api.Tests.Infrastructure;

namespace IntegrationHealth.Api.Tests.Ingestion;

/// <summary>Small limits so oversize cases stay cheap.</summary>
public sealed class ValidationHostFixture : SeededHostFixture
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxBatchEvents = 100;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Ingestion:MaxBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Ingestion:MaxBatchEvents"] = MaxBatchEvents.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// Every malformed ingestion request is answered 400 or 413 with problem details and stores nothing. The table covers
/// broken JSON, wrong shapes, each field's type and range rules, unknown references, NDJSON errors, invalid UTF-8 and
/// both size limits; the class's tenant never has a valid batch posted, so its event count must stay zero.
/// </summary>
public sealed class EventValidationTests(ValidationHostFixture fixture) : IClassFixture<ValidationHostFixture>
{
    private static JsonObject Ev() => TestEvents.Valid();

    private static HttpContent One(Action<JsonObject> change) => TestHttp.Json(TestEvents.Array(Ev().With(change)));

    private static HttpContent Text(string json) => TestHttp.Json(json);

    private static HttpContent Bytes(params byte[][] parts) => TestHttp.Raw([.. parts.SelectMany(p => p)], "application/json");

    private static HttpContent Nd(string text) => TestHttp.Json(text, "application/x-ndjson");

    private static string Line(Action<JsonObject>? change = null) => (change is null ? Ev() : Ev().With(change)).ToJsonString();

    /// <summary>name → (body, expected status, field expected among the errors or null).</summary>
    private static readonly Dictionary<string, (Func<HttpContent> Body, HttpStatusCode Status, string? Field)> Cases = new()
    {
        // The body as a whole
        ["empty body"] = (() => Text(""), HttpStatusCode.BadRequest, "$"),
        ["whitespace body"] = (() => Text("  \n\t "), HttpStatusCode.BadRequest, "$"),
        ["lone brace"] = (() => Text("{"), HttpStatusCode.BadRequest, "$"),
        ["unclosed array"] = (() => Text("[" + Line()), HttpStatusCode.BadRequest, "$"),
        ["broken object in array"] = (() => Text("[{]"), HttpStatusCode.BadRequest, "$"),
        ["object instead of array"] = (() => Text(Line()), HttpStatusCode.BadRequest, "$"),
        ["null document"] = (() => Text("null"), HttpStatusCode.BadRequest, "$"),
        ["string document"] = (() => Text("\"events\""), HttpStatusCode.BadRequest, "$"),
        ["number item"] = (() => Text("[1]"), HttpStatusCode.BadRequest, "$"),
        ["null item"] = (() => Text("[null]"), HttpStatusCode.BadRequest, "$"),
        ["array item"] = (() => Text("[[]]"), HttpStatusCode.BadRequest, "$"),
        ["trailing garbage"] = (() => Text("[" + Line() + "] x"), HttpStatusCode.BadRequest, "$"),
        ["second document"] = (() => Text("[" + Line() + "][]"), HttpStatusCode.BadRequest, "$"),
        ["trailing comma"] = (() => Text("[" + Line() + ",]"), HttpStatusCode.BadRequest, "$"),
        ["comment"] = (() => Text("/* hi */[" + Line() + "]"), HttpStatusCode.BadRequest, "$"),
        ["single quotes"] = (() => Text("[{'id':'x'}]"), HttpStatusCode.BadRequest, "$"),
        ["NaN literal"] = (() => Text("[" + Line().Replace("\"status\":200", "\"status\":NaN") + "]"), HttpStatusCode.BadRequest, "$"),
        ["leading zero number"] = (() => Text("[" + Line().Replace("\"status\":200", "\"status\":0200") + "]"), HttpStatusCode.BadRequest, "$"),
        ["deep nesting"] = (() => Text(new string('[', 200) + new string(']', 200)), HttpStatusCode.BadRequest, "$"),
        ["invalid UTF-8 byte"] = (() => Bytes("[{\"id\":\""u8.ToArray(), [0xFF], "\"}]"u8.ToArray()), HttpStatusCode.BadRequest, "$"),
        ["truncated UTF-8 sequence"] = (() => Bytes(Encoding.UTF8.GetBytes("[" + Line().Replace("contacts", "contact\u00e9"))[..^5], [0xC3]), HttpStatusCode.BadRequest, "$"),
        ["overlong UTF-8 encoding"] = (() => Bytes("[{\"resource\":\""u8.ToArray(), [0xC0, 0xAF], "\"}]"u8.ToArray()), HttpStatusCode.BadRequest, "$"),

        // id
        ["missing id"] = (() => One(e => e.Remove("id")), HttpStatusCode.BadRequest, "id"),
        ["id not a uuid"] = (() => One(e => e["id"] = "not-a-uuid"), HttpStatusCode.BadRequest, "id"),
        ["id number"] = (() => One(e => e["id"] = 12345), HttpStatusCode.BadRequest, "id"),
        ["id null"] = (() => One(e => e["id"] = null), HttpStatusCode.BadRequest, "id"),
        // kind
        ["missing kind"] = (() => One(e => e.Remove("kind")), HttpStatusCode.BadRequest, "kind"),
        ["unknown kind"] = (() => One(e => e["kind"] = "click"), HttpStatusCode.BadRequest, "kind"),
        ["kind wrong case"] = (() => One(e => e["kind"] = "Request"), HttpStatusCode.BadRequest, "kind"),
        ["kind boolean"] = (() => One(e => e["kind"] = true), HttpStatusCode.BadRequest, "kind"),
        // occurredAt
        ["missing occurredAt"] = (() => One(e => e.Remove("occurredAt")), HttpStatusCode.BadRequest, "occurredAt"),
        ["occurredAt without offset"] = (() => One(e => e["occurredAt"] = "2025-06-01T10:00:00"), HttpStatusCode.BadRequest, "occurredAt"),
        ["occurredAt date only"] = (() => One(e => e["occurredAt"] = "2025-06-01"), HttpStatusCode.BadRequest, "occurredAt"),
        ["occurredAt garbage"] = (() => One(e => e["occurredAt"] = "yesterday"), HttpStatusCode.BadRequest, "occurredAt"),
        ["occurredAt number"] = (() => One(e => e["occurredAt"] = 1700000000), HttpStatusCode.BadRequest, "occurredAt"),
        ["occurredAt far future"] = (() => One(e => e["occurredAt"] = DateTimeOffset.UtcNow.AddMinutes(10).ToString("O")), HttpStatusCode.BadRequest, "occurredAt"),
        ["occurredAt before 2000"] = (() => One(e => e["occurredAt"] = "1999-12-31T23:59:59Z"), HttpStatusCode.BadRequest, "occurredAt"),
        ["occurredAt impossible date"] = (() => One(e => e["occurredAt"] = "2025-02-30T10:00:00Z"), HttpStatusCode.BadRequest, "occurredAt"),
        // account / provider / connection
        ["missing account"] = (() => One(e => e.Remove("account")), HttpStatusCode.BadRequest, "account"),
        ["unknown account"] = (() => One(e => e["account"] = "acct-404"), HttpStatusCode.BadRequest, "account"),
        ["empty account"] = (() => One(e => e["account"] = ""), HttpStatusCode.BadRequest, "account"),
        ["account number"] = (() => One(e => e["account"] = 1), HttpStatusCode.BadRequest, "account"),
        ["account array"] = (() => One(e => e["account"] = new JsonArray("acct-1")), HttpStatusCode.BadRequest, "account"),
        ["account too long"] = (() => One(e => e["account"] = new string('a', 201)), HttpStatusCode.BadRequest, "account"),
        ["missing provider"] = (() => One(e => e.Remove("provider")), HttpStatusCode.BadRequest, "provider"),
        ["unknown provider"] = (() => One(e => e["provider"] = "myspace"), HttpStatusCode.BadRequest, "provider"),
        ["unknown connection"] = (() => One(e => e["connection"] = "conn-404"), HttpStatusCode.BadRequest, "connection"),
        ["connection of another account"] = (() => One(e => e["connection"] = "conn-2"), HttpStatusCode.BadRequest, "connection"),
        ["connection of another provider"] = (() => One(e => { e["account"] = "acct-2"; e["connection"] = "conn-2-hubspot"; }), HttpStatusCode.BadRequest, "connection"),
        // method / status / latency / outcome / error class
        ["method lower case"] = (() => One(e => e["method"] = "get"), HttpStatusCode.BadRequest, "method"),
        ["method unknown"] = (() => One(e => e["method"] = "FETCH"), HttpStatusCode.BadRequest, "method"),
        ["status below range"] = (() => One(e => e["status"] = 99), HttpStatusCode.BadRequest, "status"),
        ["status above range"] = (() => One(e => e["status"] = 600), HttpStatusCode.BadRequest, "status"),
        ["status as string"] = (() => One(e => e["status"] = "200"), HttpStatusCode.BadRequest, "status"),
        ["status fractional"] = (() => One(e => e["status"] = 200.5), HttpStatusCode.BadRequest, "status"),
        ["status huge number"] = (() => Text("[" + Line().Replace("\"status\":200", "\"status\":1" + new string('0', 400)) + "]"), HttpStatusCode.BadRequest, "status"),
        ["status exponent"] = (() => Text("[" + Line().Replace("\"status\":200", "\"status\":2e2") + "]"), HttpStatusCode.BadRequest, "status"),
        ["status object"] = (() => One(e => e["status"] = new JsonObject { ["code"] = 200 }), HttpStatusCode.BadRequest, "status"),
        ["latency negative"] = (() => One(e => e["latencyMs"] = -1), HttpStatusCode.BadRequest, "latencyMs"),
        ["latency over an hour"] = (() => One(e => e["latencyMs"] = 3_600_001), HttpStatusCode.BadRequest, "latencyMs"),
        ["latency beyond int64"] = (() => Text("[" + Line().Replace("\"latencyMs\":123", "\"latencyMs\":99999999999999999999999") + "]"), HttpStatusCode.BadRequest, "latencyMs"),
        ["outcome unknown"] = (() => One(e => e["outcome"] = "ok"), HttpStatusCode.BadRequest, "outcome"),
        ["errorClass unknown"] = (() => One(e => e["errorClass"] = "boom"), HttpStatusCode.BadRequest, "errorClass"),
        // counters and text
        ["records negative"] = (() => One(e => e["records"] = -5), HttpStatusCode.BadRequest, "records"),
        ["rate limit remaining above limit"] = (() => One(e => { e["rateLimitRemaining"] = 101; e["rateLimitLimit"] = 100; }), HttpStatusCode.BadRequest, "rateLimitRemaining"),
        ["rate limit negative"] = (() => One(e => e["rateLimitLimit"] = -1), HttpStatusCode.BadRequest, "rateLimitLimit"),
        ["resource too long"] = (() => One(e => e["resource"] = new string('r', 201)), HttpStatusCode.BadRequest, "resource"),
        ["resource huge"] = (() => One(e => e["resource"] = new string('r', 40_000)), HttpStatusCode.BadRequest, "resource"),
        ["userId too long"] = (() => One(e => e["userId"] = new string('u', 201)), HttpStatusCode.BadRequest, "userId"),
        ["usage without userId"] = (() => One(e => e["kind"] = "usage"), HttpStatusCode.BadRequest, "userId"),
        // properties
        ["unknown property"] = (() => One(e => e["Status"] = 200), HttpStatusCode.BadRequest, "Status"),
        ["typo property"] = (() => One(e => e["latency_ms"] = 5), HttpStatusCode.BadRequest, "latency_ms"),
        ["duplicate property"] = (() => Text("[" + Line().Replace("\"kind\":\"request\"", "\"kind\":\"request\",\"kind\":\"usage\"") + "]"), HttpStatusCode.BadRequest, "kind"),
        ["escaped property name out of range"] = (() => Text("[" + Line().Replace("\"status\":200", "\"st\\u0061tus\":600") + "]"), HttpStatusCode.BadRequest, "status"),
        // unpaired UTF-16 surrogate escapes: not text; decoding them throws, so each is found before (issue 13, item 3)
        ["lone high surrogate in resource"] = (() => Text("[" + Line().Replace("\"contacts\"", "\"\\ud800\"") + "]"), HttpStatusCode.BadRequest, "resource"),
        ["lone low surrogate in account"] = (() => Text("[" + Line().Replace("\"acct-1\"", "\"acct-\\udc00\"") + "]"), HttpStatusCode.BadRequest, "account"),
        ["high surrogate then letter in userId"] = (() => Text("[" + Line(e => e["userId"] = "USER").Replace("\"USER\"", "\"u\\ud800\\u0041\"") + "]"), HttpStatusCode.BadRequest, "userId"),
        ["reversed surrogate pair in provider"] = (() => Text("[" + Line().Replace("\"salesforce\"", "\"\\udc00\\ud800\"") + "]"), HttpStatusCode.BadRequest, "provider"),
        ["lone surrogate in connection"] = (() => Text("[" + Line(e => e["connection"] = "CONN").Replace("\"CONN\"", "\"\\ud83d\"") + "]"), HttpStatusCode.BadRequest, "connection"),
        ["lone surrogate in id"] = (() => Text("[" + Line().Replace("\"id\":\"", "\"id\":\"\\ud800") + "]"), HttpStatusCode.BadRequest, "id"),
        ["lone surrogate in kind"] = (() => Text("[" + Line().Replace("\"request\"", "\"request\\ud800\"") + "]"), HttpStatusCode.BadRequest, "kind"),
        ["lone surrogate in occurredAt"] = (() => Text("[" + Line().Replace("\"occurredAt\":\"", "\"occurredAt\":\"\\udbff") + "]"), HttpStatusCode.BadRequest, "occurredAt"),
        ["lone surrogate in method"] = (() => Text("[" + Line().Replace("\"GET\"", "\"\\udc00\"") + "]"), HttpStatusCode.BadRequest, "method"),
        ["lone surrogate in errorMessage"] = (() => Text("[" + Line(e => { e["kind"] = "mapping_failure"; e["errorMessage"] = "MSG"; }).Replace("\"MSG\"", "\"bad \\ud800 text\"") + "]"), HttpStatusCode.BadRequest, "errorMessage"),
        ["lone surrogate in endpoint"] = (() => Text("[" + Line(e => e["endpoint"] = "EP").Replace("\"EP\"", "\"/v1/\\udc00\"") + "]"), HttpStatusCode.BadRequest, "endpoint"),
        ["lone surrogate as property name"] = (() => Text("[" + Line().Replace("\"records\"", "\"\\ud800\"") + "]"), HttpStatusCode.BadRequest, "\\ud800"),
        ["lone surrogate in a long property name"] = (() => Text("[" + Line().Replace("\"records\"", "\"" + new string('x', 80) + "\\ud800\"") + "]"), HttpStatusCode.BadRequest, null),
        ["ndjson lone surrogate in resource"] = (() => Nd(Line() + "\n" + Line().Replace("\"contacts\"", "\"\\ud800\"") + "\n"), HttpStatusCode.BadRequest, "resource"),
        ["ndjson lone surrogate as property name"] = (() => Nd(Line().Replace("\"records\"", "\"\\udfff\"") + "\n"), HttpStatusCode.BadRequest, "\\udfff"),
        // identifiers: no control characters, not '.' or '..' (item 7); PostgreSQL text cannot hold NUL at all
        ["NUL in resource"] = (() => One(e => e["resource"] = "con\0tacts"), HttpStatusCode.BadRequest, "resource"),
        ["CR LF in userId"] = (() => One(e => e["userId"] = "u-1\r\nX-Injected: 1"), HttpStatusCode.BadRequest, "userId"),
        ["ESC in account"] = (() => One(e => e["account"] = "acct-1\u001b[31m"), HttpStatusCode.BadRequest, "account"),
        ["tab in provider"] = (() => One(e => e["provider"] = "sales\tforce"), HttpStatusCode.BadRequest, "provider"),
        ["LF in connection"] = (() => One(e => e["connection"] = "conn-1\n"), HttpStatusCode.BadRequest, "connection"),
        ["DEL in resource"] = (() => One(e => e["resource"] = "contacts\u007f"), HttpStatusCode.BadRequest, "resource"),
        ["C1 control in userId"] = (() => One(e => e["userId"] = "u\u0085"), HttpStatusCode.BadRequest, "userId"),
        ["NUL in account"] = (() => One(e => e["account"] = "\0"), HttpStatusCode.BadRequest, "account"),
        ["dot dot as resource"] = (() => One(e => e["resource"] = ".."), HttpStatusCode.BadRequest, "resource"),
        ["ndjson NUL in userId"] = (() => Nd(Line(e => e["userId"] = "a\0b") + "\n"), HttpStatusCode.BadRequest, "userId"),
        // mixed batches: one bad event sinks the batch
        ["valid then invalid"] = (() => TestHttp.Json(TestEvents.Array(Ev(), Ev().With(e => e["status"] = 1))), HttpStatusCode.BadRequest, "status"),
        ["invalid then valid"] = (() => TestHttp.Json(TestEvents.Array(Ev().With(e => e["kind"] = "x"), Ev(), Ev())), HttpStatusCode.BadRequest, "kind"),
        ["valid then unknown account"] = (() => TestHttp.Json(TestEvents.Array(Ev(), Ev(), Ev().With(e => e["account"] = "nobody"))), HttpStatusCode.BadRequest, "account"),
        // NDJSON
        ["ndjson malformed line"] = (() => Nd(Line() + "\n{\"id\":\n"), HttpStatusCode.BadRequest, "$"),
        ["ndjson array line"] = (() => Nd("[" + Line() + "]\n"), HttpStatusCode.BadRequest, "$"),
        ["ndjson two objects on a line"] = (() => Nd(Line() + " " + Line() + "\n"), HttpStatusCode.BadRequest, "$"),
        ["ndjson bad third line"] = (() => Nd(Line() + "\n" + Line() + "\n" + Line(e => e["status"] = 42) + "\n"), HttpStatusCode.BadRequest, "status"),
        ["ndjson empty"] = (() => Nd("\n\n"), HttpStatusCode.BadRequest, "$"),
        ["ndjson unknown property"] = (() => Nd(Line(e => e["extra"] = 1)), HttpStatusCode.BadRequest, "extra"),
        // limits
        ["too many events"] = (() => TestHttp.Json(new JsonArray([.. Enumerable.Range(0, ValidationHostFixture.MaxBatchEvents + 1).Select(_ => (JsonNode)Ev())])), HttpStatusCode.RequestEntityTooLarge, null),
        ["ndjson too many events"] = (() => Nd(string.Join("\n", Enumerable.Range(0, ValidationHostFixture.MaxBatchEvents + 1).Select(_ => Line()))), HttpStatusCode.RequestEntityTooLarge, null),
        ["body over the byte limit"] = (() => Text("[" + new string(' ', ValidationHostFixture.MaxBodyBytes) + "]"), HttpStatusCode.RequestEntityTooLarge, null),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task PostEvents_MalformedInput_AnswersProblemAndStoresNothing(string name)
    {
        var (body, status, field) = Cases[name];
        using var client = fixture.Host.Client(fixture.Key);
        using var response = await client.PostAsync("/v1/events", body());

        var problem = await TestHttp.AssertProblemAsync(response, status);
        if (field is not null)
        {
            var errors = problem.GetProperty("errors").EnumerateArray().ToList();
            Assert.Contains(errors, e => e.GetProperty("field").GetString() == field);
            Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("message").GetString())));
        }
        Assert.Equal(0, await fixture.Host.CountEventsAsync());
        // A refused request is the client's mistake: nothing at Error level (where a 500's stack trace would be).
        Assert.DoesNotContain(fixture.Host.LogLines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
    }

    [Fact]
    public void Cases_CoverAtLeastFiftyDistinctInputs() => Assert.True(Cases.Count >= 50, $"only {Cases.Count} cases");

    [Fact]
    public async Task PostEvents_ChunkedBodyOverLimit_Answers413WithoutContentLength()
    {
        using var client = fixture.Host.Client(fixture.Key);
        var content = new StreamContent(new PaddingStream(ValidationHostFixture.MaxBodyBytes * 4));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);

        Assert.Null(request.Content.Headers.ContentLength);
        await TestHttp.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await fixture.Host.CountEventsAsync());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=\"iso-8859-1\"")]
    [InlineData("application/json; charset=\"utf-16\"")]
    [InlineData(null)]
    public async Task PostEvents_UnsupportedContentType_Answers415(string? contentType)
    {
        using var client = fixture.Host.Client(fixture.Key);
        using var response = await client.PostAsync("/v1/events", TestHttp.Raw(Encoding.UTF8.GetBytes("[" + Line() + "]"), contentType));

        await TestHttp.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, await fixture.Host.CountEventsAsync());
    }

    [Fact]
    public async Task PostEvents_ManyBrokenEvents_ListsEveryErrorWithIndexAndField()
    {
        var events = new JsonArray(
            Ev().With(e => e["status"] = 1),
            Ev(),
            Ev().With(e => { e["kind"] = "nope"; e["latencyMs"] = -3; }),
            Ev().With(e => e["account"] = "ghost"));
        using var client = fixture.Host.Client(fixture.Key);
        using var response = await client.PostAsync("/v1/events", TestHttp.Json(events));

        var problem = await TestHttp.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("field").GetString())).ToList();
        Assert.Equal([(0, "status"), (2, "kind"), (2, "latencyMs"), (3, "account")], errors);
        Assert.Equal(4, problem.GetProperty("errorCount").GetInt32());
    }

    /// <summary>A body of spaces produced on demand, so the client cannot know (or send) its length.</summary>
    private sealed class PaddingStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            if (n <= 0) return 0;
            buffer.AsSpan(offset, n).Fill((byte)' ');
            if (_position == 0) buffer[offset] = (byte)'[';
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
