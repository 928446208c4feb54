using System.Text.Json;

namespace IntegrationHealth.Jsonata.Tests.Differential;

public sealed class JsonEquivalenceTests
{
    [Theory]
    [InlineData("1", "1.0")]
    [InlineData("1e2", "100")]
    [InlineData("{\"a\":1,\"b\":[true,null]}", "{\"b\":[true,null],\"a\":1}")]
    [InlineData("\"é\"", "\"\\u00e9\"")]
    [InlineData("\"\\ud83d\"", "\"\\uD83D\"")]
    [InlineData("\"😀\"", "\"\\ud83d\\ude00\"")]
    public void Equal_EquivalentJson_ReturnsTrue(string expected, string actual)
    {
        Assert.True(JsonEquivalence.Equal(Parse(expected), Parse(actual), out var difference), difference);
    }

    [Theory]
    [InlineData("0.30000000000000004", "0.3", "number")]
    [InlineData("[1,2]", "[2,1]", "$[0]")]
    [InlineData("[1,2]", "[1,2,3]", "array length 2 vs 3")]
    [InlineData("{\"a\":1}", "{\"a\":1,\"b\":2}", "extra key \"b\"")]
    [InlineData("{\"a\":1}", "{}", "key \"a\" missing")]
    [InlineData("true", "false", "True vs False")]
    [InlineData("null", "0", "null vs 0")]
    [InlineData("\"1\"", "1", "\"1\" vs 1")]
    [InlineData("\"\\ud83d\"", "\"\\ude00\"", "at $:")]
    public void Equal_DifferentJson_ReturnsFalseAndNamesTheDifference(string expected, string actual, string expectedDifference)
    {
        Assert.False(JsonEquivalence.Equal(Parse(expected), Parse(actual), out var difference));
        Assert.Contains(expectedDifference, difference);
    }

    [Fact]
    public void Agree_FunctionVersusUndefined_CountsAsAgreement()
    {
        Assert.True(Outcome.Agree(Outcome.Function, Outcome.Undefined, out _));
    }

    [Fact]
    public void Agree_DifferentErrorCodes_Disagree()
    {
        Assert.False(Outcome.Agree(Outcome.Error("T2001", "x"), Outcome.Error("T2002", "y"), out var difference));
        Assert.Contains("T2001 vs T2002", difference);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
