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

    [Fact]
    public void Agree_ReferenceCrashedAndOursRaisedJsonataError_Agree()
    {
        var referenceCrash = Outcome.Error(Outcome.ReferenceCrashCode, "TypeError: x is undefined");

        Assert.True(Outcome.Agree(referenceCrash, Outcome.Error("T0410", "bad argument"), out _));
        Assert.False(Outcome.Agree(referenceCrash, Outcome.Crash("NullReferenceException"), out var difference));
        Assert.Contains("must raise a JsonataException", difference);
    }

    [Fact]
    public void Agree_ReferenceNaNAndOursUndefined_Agree()
    {
        var referenceNaN = Outcome.Of(Parse("null")) with { NonFinite = true };

        Assert.True(Outcome.Agree(referenceNaN, Outcome.Undefined, out _));
        Assert.True(Outcome.Agree(referenceNaN, Outcome.Of(Parse("null")), out _));
        Assert.False(Outcome.Agree(referenceNaN, Outcome.Of(Parse("0")), out _));
    }

    [Theory]
    [InlineData("[1 + 'x', $join([1])]", true)]
    [InlineData("{ 'a': 1, 'b': $x }", true)]
    [InlineData("$substring('a,b', 1, 2)", false)]
    [InlineData("records[Amount > 1].Name", false)]
    [InlineData("['a,b']", false)]
    [InlineData("[[1], 2]", true)]
    public void HasMultiItemConstructor_Expression_DetectsConstructorsWithSeveralItems(string expression, bool expected)
    {
        Assert.Equal(expected, ConstructorScan.HasMultiItemConstructor(expression));
    }

    [Fact]
    public void Agree_DifferentErrorsInsideMultiItemConstructor_Agree()
    {
        Assert.True(Outcome.Agree(Outcome.Error("T0412", "x"), Outcome.Error("T2001", "y"), out _, "[1 + 'x', $join([1])]"));
        Assert.False(Outcome.Agree(Outcome.Error("T0412", "x"), Outcome.Error("T2001", "y"), out _, "$join([1]) & (1 + 'x')"));
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
