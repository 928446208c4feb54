using IntegrationHealth.Jsonata.Functions.Formatting;

namespace IntegrationHealth.Jsonata.Tests.Formatting;

// Expected values were produced by jsonata-js 2.2.2 under node (TZ=UTC).
public sealed class DateTimePictureTests
{
    [Theory]
    [InlineData(1L, "1970-01-01T00:00:00.001Z")]
    [InlineData(-62198755200000L, "-0001-01-01T00:00:00.000Z")]
    [InlineData(253402300799999L, "9999-12-31T23:59:59.999Z")]
    public void Format_NoPicture_IsIso8601(long millis, string expected) =>
        Assert.Equal(expected, DateTimePicture.Format(millis, null, null));

    [Theory]
    [InlineData("-0500", "2018-10-21T08:05:00.000-05:00")]
    [InlineData("0000", "2018-10-21T13:05:00.000Z")]
    [InlineData("+0530", "2018-10-21T18:35:00.000+05:30")]
    public void Format_NoPictureWithTimezone_ShiftsAndShowsOffset(string timezone, string expected) =>
        Assert.Equal(expected, DateTimePicture.Format(1540127100000, null, timezone));

    [Fact]
    public void Format_NegativeHalfHourTimezone_KeepsJsonataQuirk() =>
        Assert.Equal("2018-07-11T05:30:00-06:30", DateTimePicture.Format(1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]", "-0530"));

    [Theory]
    [InlineData(951782400000L, "[FNn] [D1o] [MNn] [Y]", "Tuesday 29th February 2000")] // leap day, century leap year
    [InlineData(1456704000000L, "[d] [W] [w] [xNn]", "60 9 1 March")]
    [InlineData(1230681600000L, "[X]-W[W]-[F] [d]", "2009-W1-wednesday 366")] // 31 Dec 2008 is in ISO week 1 of 2009
    [InlineData(1104537600000L, "[X0001]-W[W01]-[F1] [dwo]", "2004-W53-6 first")] // 1 Jan 2005 is in week 53 of 2004
    public void Format_LeapYearsAndWeeks_MatchesJsonata(long millis, string picture, string expected) =>
        Assert.Equal(expected, DateTimePicture.Format(millis, picture, null));

    [Theory]
    [InlineData("[H01]:[m01] [z]", "-0500", "05:33 GMT-05:00")]
    [InlineData("[h]:[m01][P] [Z01:01]", "+0545", "4:18pm +05:45")]
    public void Format_Timezones_MatchesJsonata(string picture, string timezone, string expected) =>
        Assert.Equal(expected, DateTimePicture.Format(1521801216617, picture, timezone));

    [Theory]
    [InlineData("[Y", "D3135")]
    [InlineData("[q]", "D3132")]
    [InlineData("[YN]", "D3133")]
    [InlineData("[Z00001]", "D3134")]
    public void Format_InvalidPicture_ThrowsJsonataCode(string picture, string code) =>
        Assert.Equal(code, Assert.Throws<JsonataException>(() => DateTimePicture.Format(0, picture, null)).Code);

    [Fact]
    public void Format_BeyondJsDateRange_PrintsNaNFieldsLikeJsonata() =>
        Assert.Equal("0NaN", DateTimePicture.Format(long.MaxValue, "[Y0001]", null));

    [Theory]
    [InlineData("29 February 2016", "[D1] [MNn] [Y0001]", 1456704000000L)]
    [InlineData("2016-366", "[Y0001]-[d001]", 1483142400000L)]
    [InlineData("4/4/2018 12:06 am", "[D1]/[M1]/[Y0001] [h]:[m] [P]", 1522800360000L)]
    [InlineData("2020-09-09 08:00:00 +02:00", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]", 1599631200000L)]
    public void Parse_Picture_MatchesJsonata(string text, string picture, long expected) =>
        Assert.Equal(expected, DateTimePicture.Parse(text, picture, 0));

    [Fact]
    public void Parse_TimeOnly_TakesDateFromNow()
    {
        var now = 1_700_000_000_000L; // 2023-11-14T22:13:20Z

        Assert.Equal(1699969500000L, DateTimePicture.Parse("13:45", "[H]:[m]", now));
    }

    [Fact]
    public void Parse_NoMatch_ReturnsUndefined() => Assert.Null(DateTimePicture.Parse("irrelevant", "[Y]-[M]-[D]", 0));

    [Fact]
    public void Parse_GapBetweenFields_ThrowsD3136() =>
        Assert.Equal("D3136", Assert.Throws<JsonataException>(() => DateTimePicture.Parse("5-22 23:59", "[M]-[D] [m]:[s]", 0)).Code);

    [Theory]
    [InlineData("2018-03-27T10:11:12+05:30", 1522125672000L)]
    [InlineData("2018-02-30", 1519948800000L)] // rolls over into March, as Node does
    [InlineData("2018", 1514764800000L)]
    [InlineData("0061-11-09T10:00:00Z", -60215148000000L)]
    public void Parse_Iso8601_MatchesNode(string text, long expected) =>
        Assert.Equal(expected, DateTimePicture.Parse(text, null, 0));

    [Theory]
    [InlineData("2018-13-01")]
    [InlineData("2018-02-03T25:00:00Z")]
    public void Parse_IsoShapedImpossibleDate_ReturnsUndefined(string text) => Assert.Null(DateTimePicture.Parse(text, null, 0));

    [Theory]
    [InlineData("foo")]
    [InlineData("2018-02-03 11:15:33")]
    [InlineData("2018-01-01\n")]
    public void Parse_NotIso8601_ThrowsD3110(string text) =>
        Assert.Equal("D3110", Assert.Throws<JsonataException>(() => DateTimePicture.Parse(text, null, 0)).Code);
}
