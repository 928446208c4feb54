using System.Text;
using IntegrationHealth.Ingestion;
using IntegrationHealth.Ingestion.Events;
using IntegrationHealth.Ingestion.Accounts;
using IntegrationHealth.Ingestion.Connections;
using IntegrationHealth.Ingestion.SupportTickets;
using IntegrationHealth.Ingestion.SurveyResponses;
using IntegrationHealth.Ingestion.Providers;
using IntegrationHealth.Ingestion.Upserts;
using IntegrationHealth.Web.Http;
using IntegrationHealth.Web.Authentication;
using IntegrationHealth.Web.Health;
using IntegrationHealth.Data;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Api.Tests.Ingestion;

/// <summary>The parser on its own: what it produces from valid input, and the rules that span fields.</summary>
public sealed class EventBatchParserTests
{
    private static readonly EventRules Rules = new(100, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc));

    private static (ParsedBatch Batch, BatchErrors Errors) Array(string json)
    {
        var errors = new BatchErrors();
        return (EventBatchParser.ParseArray(Encoding.UTF8.GetBytes(json), Rules, errors), errors);
    }

    private const string Base = "\"id\":\"3f2c1a9e-8d4b-4c55-9a51-0b1e2f3a4b5c\",\"kind\":\"request\",\"occurredAt\":\"2026-01-02T03:04:05.5+01:00\",\"account\":\"a\",\"provider\":\"p\"";

    [Theory]
    [InlineData("", TelemetryOutcome.Success)]
    [InlineData(",\"status\":404", TelemetryOutcome.Failure)]
    [InlineData(",\"status\":302", TelemetryOutcome.Success)]
    [InlineData(",\"errorClass\":\"timeout\"", TelemetryOutcome.Failure)]
    [InlineData(",\"errorClass\":\"none\",\"status\":200", TelemetryOutcome.Success)]
    [InlineData(",\"status\":500,\"outcome\":\"success\"", TelemetryOutcome.Success)]
    [InlineData(",\"outcome\":\"failure\"", TelemetryOutcome.Failure)]
    public void ParseArray_OutcomeOmittedOrGiven_FollowsTheWireRules(string extra, TelemetryOutcome expected)
    {
        var (batch, errors) = Array("[{" + Base + extra + "}]");
        Assert.False(errors.Any, string.Join("; ", errors.Reported));
        Assert.Equal(expected, Assert.Single(batch.Events).Outcome);
    }

    [Fact]
    public void ParseArray_FullEvent_MapsEveryFieldAndConvertsTimeToUtc()
    {
        var (batch, errors) = Array("[{" + Base + ",\"connection\":\"c\",\"resource\":\"contacts\",\"method\":\"PATCH\",\"status\":429," +
            "\"latencyMs\":3600000,\"errorClass\":\"rate_limited\",\"records\":0,\"rateLimitRemaining\":0,\"rateLimitLimit\":0,\"userId\":\"u\"}]");

        Assert.False(errors.Any);
        var e = Assert.Single(batch.Events);
        Assert.Equal(Guid.Parse("3f2c1a9e-8d4b-4c55-9a51-0b1e2f3a4b5c"), e.Id);
        Assert.Equal(new DateTime(2026, 1, 2, 2, 4, 5, 500, DateTimeKind.Utc), e.OccurredAt);
        Assert.Equal(DateTimeKind.Utc, e.OccurredAt.Kind);
        Assert.Equal((HttpMethodCode.Patch, (short?)429, 3_600_000, ErrorClass.RateLimited), (e.Method, e.HttpStatus, e.LatencyMs!.Value, e.ErrorClass));
        Assert.Equal((0, 0, 0), (e.Records!.Value, e.RateLimitRemaining!.Value, e.RateLimitLimit!.Value));
        Assert.Equal(("contacts", "u"), (e.Resource, e.UserId));
        var r = Assert.Single(batch.References);
        Assert.Equal(("a", "p", "c"), (r.Account, r.Provider, r.Connection));
    }

    [Fact]
    public void ParseArray_NullOptionalFields_AreTreatedAsAbsent()
    {
        var (batch, errors) = Array("[{" + Base + ",\"connection\":null,\"status\":null,\"resource\":null}]");
        Assert.False(errors.Any);
        var e = Assert.Single(batch.Events);
        Assert.Null(e.HttpStatus);
        Assert.Null(batch.References[0].Connection);
    }

    [Fact]
    public void ParseNdjson_CrlfAndBlankLines_AreAccepted()
    {
        var line = "{" + Base + "}";
        var errors = new BatchErrors();
        var batch = EventBatchParser.ParseNdjson(Encoding.UTF8.GetBytes(line + "\r\n\r\n" + line.Replace("3f2c", "4f2c") + "\r\n"), Rules, errors);
        Assert.False(errors.Any, string.Join("; ", errors.Reported));
        Assert.Equal(2, batch.Events.Count);
    }

    [Fact]
    public void ParseArray_OneMoreThanTheLimit_FlagsTooManyEvents()
    {
        var one = "{" + Base + "}";
        var errors = new BatchErrors();
        var batch = EventBatchParser.ParseArray(Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat(one, 101)) + "]"), Rules, errors);
        Assert.True(batch.TooManyEvents);
    }

    [Theory]
    [InlineData("2026-01-02T03:04:05Z", true)]
    [InlineData("2026-01-02T03:04:05.123+05:30", true)]
    [InlineData("2026-01-02T03:04:05-08:00", true)]
    [InlineData("2026-01-02T03:04:05", false)]
    [InlineData("2026-01-02", false)]
    public void HasExplicitOffset_Forms_AreRecognised(string text, bool expected) =>
        Assert.Equal(expected, WireInstants.HasExplicitOffset(Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData("application/json", BodyFormat.Kind.Json)]
    [InlineData("application/json; charset=utf-8", BodyFormat.Kind.Json)]
    [InlineData("application/vnd.ih+json", BodyFormat.Kind.Json)]
    [InlineData("application/x-ndjson", BodyFormat.Kind.Ndjson)]
    [InlineData("application/jsonl", BodyFormat.Kind.Ndjson)]
    [InlineData("application/json; charset=utf-16", BodyFormat.Kind.Unsupported)]
    [InlineData("text/json", BodyFormat.Kind.Unsupported)]
    [InlineData("", BodyFormat.Kind.Unsupported)]
    public void BodyFormat_ContentTypes_AreClassified(string contentType, BodyFormat.Kind expected) =>
        Assert.Equal(expected, BodyFormat.Of(contentType));

    [Fact]
    public void ParseArray_AfterByteOrderMarkIsStripped_Parses()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("[{" + Base + "}]")).ToArray();
        var errors = new BatchErrors();
        var batch = EventBatchParser.ParseArray(BodyFormat.WithoutBom(bytes), Rules, errors);
        Assert.False(errors.Any);
        Assert.Single(batch.Events);
    }

    [Fact]
    public void BatchErrors_PastTheCap_CountsAllButKeepsTheFirst()
    {
        var errors = new BatchErrors(maxReported: 2);
        for (var i = 0; i < 5; i++) errors.Add(i, "status", "bad");
        Assert.Equal(5, errors.Count);
        Assert.Equal([0, 1], errors.Reported.Select(e => e.Index));
    }
}
