namespace IntegrationHealth.Jsonata.Tests.Evaluation;

/// <summary>Behaviour that must follow JavaScript rather than .NET defaults.</summary>
public sealed class JavaScriptSemanticsTests
{
    private static string? Eval(string expression) => JsonataExpression.Compile(expression).EvaluateWithoutInput().ToJsonString();

    [Theory]
    [InlineData("$string(1e21)", "\"1e+21\"")]
    [InlineData("$string(123456789012345680000)", "\"123456789012345680000\"")]
    [InlineData("$string(0.1 + 0.2)", "\"0.3\"")]
    [InlineData("$string(1/3)", "\"0.333333333333333\"")]
    [InlineData("$string(1e-7)", "\"1e-7\"")]
    [InlineData("$string(-0.000001)", "\"-0.000001\"")]
    [InlineData("0.1 + 0.2", "0.30000000000000004")]
    [InlineData("$round(2.5)", "2")]
    [InlineData("$round(3.5)", "4")]
    [InlineData("$round(-2.5)", "-2")]
    [InlineData("$round(1.005, 2)", "1")]
    [InlineData("$formatBase(255, 16)", "\"ff\"")]
    public void Evaluate_Numbers_FormatLikeJavaScript(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("$length('\U0001F600')", "1")]
    [InlineData("$substring('a\U0001F600b', 1, 1)", "\"\U0001F600\"")]
    [InlineData("$uppercase('straße ﬁne')", "\"STRASSE FINE\"")]
    [InlineData("$lowercase('ΣΑΣ ΟΔΟΣ')", "\"σας οδος\"")]
    [InlineData("$length($uppercase('ŉ'))", "2")]
    public void Evaluate_Strings_FollowJavaScriptStringRules(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("$contains('abc\\n', /c$/)", "false")]
    [InlineData("$contains('abc\\ndef', /c$/m)", "true")]
    [InlineData("$contains('\u0661\u0662', /\\d/)", "false")]
    [InlineData("$contains('a\\rb', /a.b/)", "false")]
    [InlineData("$match('a1b22', /\\d+/).match", "[\"1\",\"22\"]")]
    [InlineData("$replace('John Smith', /(\\w+)\\s(\\w+)/, '$2, $1')", "\"Smith, John\"")]
    [InlineData("$split('a, b,c', /,\\s*/)", "[\"a\",\"b\",\"c\"]")]
    [InlineData("$match('ana', /(?<first>\\w)(\\w*)/).groups", "[\"a\",\"na\"]")]
    [InlineData("$contains('abab', /(?<x>ab)\\k<x>/)", "true")]
    [InlineData("$contains('Istanbul', /\\p{L}/)", "false")]
    [InlineData("$contains('p{L}', /\\p{L}/)", "true")]
    public void Evaluate_RegexLiterals_UseJavaScriptSemantics(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    // The wildcard and $spread build their results with jsonata-js's append (JavaScript concat), which turns the first
    // sequence into a plain array: ours appends in place after that first copy, and the shapes must stay jsonata-js's
    // (expected values from jsonata-js 2.2.2 under node).
    [Theory]
    [InlineData("*", """{"a":[1]}""", "[1]")]
    [InlineData("*", """{"a":[1],"b":2,"c":[[3,4]]}""", "[1,2,3,4]")]
    [InlineData("*[0]", """{"a":[1],"b":2,"c":[[3,4]]}""", "1")]
    [InlineData("$spread($)", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("$spread([$, $])", """{"a":[1],"b":2}""", """[{"a":[1]},{"b":2},{"a":[1]},{"b":2}]""")]
    [InlineData("$spread([1, {\"x\": 1}, [2]])", "{}", """[1,{"x":1},2]""")]
    [InlineData("$spread([[1]])", "{}", "[1]")]
    [InlineData("$type($spread([{\"a\":1}]))", "{}", "\"array\"")]
    public void Evaluate_WildcardAndSpread_KeepJavaScriptAppendShapes(string expression, string input, string expected) =>
        Assert.Equal(expected, JsonataExpression.Compile(expression).Evaluate(System.Text.Json.Nodes.JsonNode.Parse(input)).ToJsonString());

    [Fact]
    public void Evaluate_RegexMatchingEmptyStringRepeatedly_ThrowsD1004()
    {
        var ex = Assert.Throws<JsonataException>(() => Eval("$match('abc', /x*/)"));
        Assert.Equal("D1004", ex.Code);
    }
}
