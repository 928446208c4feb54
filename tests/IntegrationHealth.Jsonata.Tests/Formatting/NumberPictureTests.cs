using IntegrationHealth.Jsonata.Functions.Formatting;

namespace IntegrationHealth.Jsonata.Tests.Formatting;

// Expected values were produced by jsonata-js 2.2.2 under node.
public sealed class NumberPictureTests
{
    [Theory]
    [InlineData(-1234.5, "#,##0.00", "-1,234.50")]
    [InlineData(-6, "000", "-006")]
    [InlineData(123456789, "#,##0", "123,456,789")]
    [InlineData(1e20, "#,##0", "100,000,000,000,000,000,000")]
    [InlineData(123.9, "9999", "0124")]
    public void Format_NegativeAndLargeValues_MatchesJsonata(double value, string picture, string expected) =>
        Assert.Equal(expected, NumberPicture.Format(value, picture, null));

    [Theory]
    [InlineData(2.5, "0", "2")] // half to even
    [InlineData(3.5, "0", "4")]
    [InlineData(0.125, "0.00", "0.12")]
    [InlineData(1.005, "0.00", "1.00")] // 1.005 is 1.00499999... in binary
    [InlineData(-0.5, "0", "-0")]
    public void Format_HalfwayValues_RoundHalfToEven(double value, string picture, string expected) =>
        Assert.Equal(expected, NumberPicture.Format(value, picture, null));

    [Theory]
    [InlineData(1234.5, "1,234.50")]
    [InlineData(-1234.5, "(1,234.50)")]
    public void Format_NegativeSubPicture_UsedWithoutMinusSign(double value, string expected) =>
        Assert.Equal(expected, NumberPicture.Format(value, "#,##0.00;(#,##0.00)", null));

    [Theory]
    [InlineData(0.00001234, "0.00e0", "1.23e-5")]
    [InlineData(-0.00001234, "0.00e00", "-1.23e-05")]
    [InlineData(0, "0.00e0", "0.00e0")]
    [InlineData(-42, "0e0", "-4e1")]
    public void Format_Exponent_ScalesMantissa(double value, string picture, string expected) =>
        Assert.Equal(expected, NumberPicture.Format(value, picture, null));

    [Fact]
    public void Format_SwappedSeparatorOptions_UseThem()
    {
        var options = new Dictionary<string, string> { ["decimal-separator"] = ",", ["grouping-separator"] = "." };

        Assert.Equal("1.234.567,89", NumberPicture.Format(1234567.891, "#.##0,00", options));
    }

    // jsonata-js 2.2.2 skips F&O bullets 1 and 4: NaN is not >= 0, takes the negative sub-picture and prints as "NaN"
    // (the NaN property is never used), and an infinity's text goes through grouping like digits.
    [Theory]
    [InlineData(double.NaN, "#0", "-NaN")]
    [InlineData(double.NaN, "#0;(#0)", "(NaN)")]
    [InlineData(double.PositiveInfinity, "#,##0", "In,fin,ity")]
    public void Format_NaNOrInfinity_FormatsTheirTextAsJsonataJs(double value, string picture, string expected) =>
        Assert.Equal(expected, NumberPicture.Format(value, picture, new Dictionary<string, string> { ["NaN"] = "not a number", ["infinity"] = "∞" }));

    // With an exponent jsonata-js divides an infinite mantissa by ten forever; ours stops with the F&O answer.

    [Fact]
    public void Format_Infinity_UsesInfinityPropertyWithoutLooping() =>
        Assert.Equal("-∞", NumberPicture.Format(double.NegativeInfinity, "0.0e0", new Dictionary<string, string> { ["infinity"] = "∞" }));

    [Theory]
    [InlineData("#;#;#", "D3080")]
    [InlineData("#.0.0", "D3081")]
    [InlineData("0,", "D3088")]
    [InlineData("#0.0e0,0", "D3093")]
    [InlineData("---", "D3086")]
    public void Format_InvalidPicture_ThrowsJsonataCode(string picture, string code)
    {
        var error = Assert.Throws<JsonataException>(() => NumberPicture.Format(20, picture, null));

        Assert.Equal(code, error.Code);
    }
}
