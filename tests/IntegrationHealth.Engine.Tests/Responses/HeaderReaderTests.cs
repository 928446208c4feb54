using IntegrationHealth.Engine.Pagination;
using IntegrationHealth.Engine.Responses;

namespace IntegrationHealth.Engine.Tests.Responses;

/// <summary>Times, rate limits and links read from provider headers.</summary>
public sealed class HeaderReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("delta_seconds", "30", 30_000)]
    [InlineData("delta_seconds", "1.5", 1_500)]
    [InlineData("delta_milliseconds", "250", 250)]
    [InlineData("epoch_seconds", "1772366460", 60_000)]
    [InlineData("epoch_milliseconds", "1772366401000", 1_000)]
    [InlineData("http_date", "Sun, 01 Mar 2026 12:02:00 GMT", 120_000)]
    [InlineData("retry_after", "7", 7_000)]
    [InlineData("retry_after", "Sun, 01 Mar 2026 12:00:05 GMT", 5_000)]
    public void Parse_EachUnit_GivesTheDelayFromNow(string unit, string value, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), TimeHeaderReader.Parse(value, unit, Now));
    }

    [Theory]
    [InlineData("delta_seconds", "soon")]
    [InlineData("delta_seconds", "-5")]
    [InlineData("http_date", "yesterday")]
    public void Parse_Unreadable_IsNull(string unit, string value)
    {
        Assert.Null(TimeHeaderReader.Parse(value, unit, Now));
    }

    [Fact]
    public void RateLimit_RemainingAboveLimit_IsClamped()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("L", "100, 100;w=60");
        response.Headers.TryAddWithoutValidation("R", "150");
        var definition = new Engine.Definitions.RateLimitDefinition { Limit = new() { Header = "L" }, Remaining = new() { Header = "R" } };

        var snapshot = RateLimitReader.Read(definition, response.Headers, Now);

        Assert.Equal((100, 100), (snapshot.Limit, snapshot.Remaining));
    }

    [Theory]
    [InlineData("<https://x.test/a?page=2>; rel=\"next\", <https://x.test/a?page=9>; rel=\"last\"", "next", "https://x.test/a?page=2")]
    [InlineData("<https://x.test/a?page=1>; rel=\"prev\", <https://x.test/a?page=3>; rel=\"next\"", "next", "https://x.test/a?page=3")]
    [InlineData("<https://x.test/a?page=3>; rel=\"next last\"", "last", "https://x.test/a?page=3")]
    [InlineData("<https://x.test/a;b,c>; title=\"a, <b>\"; REL=next", "next", "https://x.test/a;b,c")]
    [InlineData("<https://x.test/a?page=1>; rel=\"prev\"", "next", null)]
    public void LinkHeader_FindsTheRelation(string header, string relation, string? expected)
    {
        Assert.Equal(expected, LinkHeader.Find(header, relation));
    }
}

/// <summary>Query edits on provider URLs (next links): only the parameter set changes.</summary>
public sealed class UriQueryTests
{
    [Theory]
    [InlineData("https://x.test/a?cursor=ab+c%2Fd&page[size]=10", "api_token", "t&1", "https://x.test/a?cursor=ab+c%2Fd&page[size]=10&api_token=t%261")]
    [InlineData("https://x.test/a?page%5Bsize%5D=10&cursor=Zm9v+", "page[size]", "10", "https://x.test/a?page%5Bsize%5D=10&cursor=Zm9v+")]
    [InlineData("https://x.test/a?limit=500&cursor=Zm9v+", "limit", "100", "https://x.test/a?cursor=Zm9v+&limit=100")]
    public void With_KeepsEveryOtherParameterVerbatim(string uri, string name, string value, string expected)
    {
        Assert.Equal(expected, Engine.Execution.UriQuery.With(new Uri(uri), name, value).AbsoluteUri);
    }
}
