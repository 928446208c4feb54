using IntegrationHealth.Jsonata.Functions.Formatting;

namespace IntegrationHealth.Jsonata.Tests.Formatting;

// Expected values were produced by jsonata-js 2.2.2 under node.
public sealed class IntegerPictureTests
{
    [Theory]
    [InlineData(-1234, "w", "-one thousand, two hundred and thirty-four")]
    [InlineData(1999, "I", "MCMXCIX")]
    [InlineData(702, "A", "ZZ")]
    [InlineData(1000000, "Ww;o", "One Millionth")]
    [InlineData(112, "0;o", "112th")]
    [InlineData(-12.5, "#,##0", "-13")] // floored first
    [InlineData(1e21, "0", "1e+21")] // JS number text
    public void Format_EdgeValues_MatchesJsonata(double value, string picture, string expected) =>
        Assert.Equal(expected, IntegerPicture.Format(value, picture));

    [Fact]
    public void Format_IrregularGroupingWiderThanNumber_KeepsJsonataQuirk() =>
        Assert.Equal(",:34", IntegerPicture.Format(1234, "#:###,##0"));

    [Fact]
    public void Format_HugeRoman_ThrowsInsteadOfExhaustingMemory()
    {
        var error = Assert.Throws<JsonataException>(() => IntegerPicture.Format(1e12, "I"));

        Assert.Equal("D3130", error.Code);
    }

    [Theory]
    [InlineData("α", "D3130")]
    [InlineData("##0０", "D3131")]
    public void Format_UnsupportedPicture_ThrowsJsonataCode(string picture, string code) =>
        Assert.Equal(code, Assert.Throws<JsonataException>(() => IntegerPicture.Format(5, picture)).Code);

    [Theory]
    [InlineData("ZZ", "A", 702)]
    [InlineData("one million and first", "w;o", 1000001)]
    [InlineData("1.234", "#.##0", 1)] // jsonata-js strips only commas from a regular grouping
    public void Parse_Text_MatchesJsonata(string text, string picture, double expected) =>
        Assert.Equal(expected, IntegerPicture.Parse(text, picture));

    [Theory]
    [InlineData("abc", "0")]
    [InlineData("twenty bananas", "w")]
    [InlineData("xiv", "I")]
    public void Parse_Unparsable_ReturnsUndefined(string text, string picture) =>
        Assert.Null(IntegerPicture.Parse(text, picture));

    [Theory]
    [InlineData(0L)]
    [InlineData(7L)]
    [InlineData(99L)]
    [InlineData(1984L)]
    [InlineData(123456789L)]
    [InlineData(1234567890123L)]
    public void Parse_FormattedWords_RoundTrips(long value) =>
        Assert.Equal(value, IntegerPicture.Parse(IntegerPicture.ToWords(value), "w"));

    [Fact]
    public void ToRoman_Negative_HasLeadingMinus() => Assert.Equal("-XLII", IntegerPicture.ToRoman(-42));
}
