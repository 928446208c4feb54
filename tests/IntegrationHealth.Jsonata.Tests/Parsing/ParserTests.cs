namespace IntegrationHealth.Jsonata.Tests.Parsing;

public sealed class ParserTests
{
    [Theory]
    [InlineData("1 +", "S0207")]
    [InlineData("(1", "S0203")]
    [InlineData("[1, 2", "S0203")]
    [InlineData("foo bar", "S0201")]
    [InlineData("\"unterminated", "S0101")]
    [InlineData("`name", "S0105")]
    [InlineData("/* open comment", "S0106")]
    [InlineData("1e999", "S0102")]
    [InlineData("\"\\q\"", "S0103")]
    [InlineData("\"\\u12\"", "S0104")]
    [InlineData("a ! b", "S0204")]
    [InlineData(")", "S0211")]
    [InlineData("function(a){1}", "S0208")]
    [InlineData("1 := 2", "S0212")]
    [InlineData("a.1", "S0213")]
    [InlineData("a@b", "S0214")]
    [InlineData("a[0]@$x", "S0215")]
    [InlineData("%", "S0217")]
    [InlineData("//", "S0301")]
    [InlineData("/abc", "S0302")]
    [InlineData("function($x)<q<s>>{1}", "S0401")]
    public void Compile_InvalidSyntax_ThrowsJsonataCode(string expression, string code)
    {
        var ex = Assert.Throws<JsonataException>(() => JsonataExpression.Compile(expression));
        Assert.Equal(code, ex.Code);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void Compile_UnexpectedToken_ReportsTokenAndPosition()
    {
        var ex = Assert.Throws<JsonataException>(() => JsonataExpression.Compile("foo bar"));
        Assert.Equal("bar", ex.Token);
        Assert.Equal(7, ex.Position);
        Assert.Equal("Syntax error: \"bar\"", ex.Message);
    }

    [Fact]
    public void Compile_DeeplyNestedParentheses_ThrowsInsteadOfOverflowingTheStack()
    {
        var source = new string('(', 200_000) + "1" + new string(')', 200_000);
        var ex = Assert.Throws<JsonataException>(() => JsonataExpression.Compile(source));
        Assert.Equal("U1001", ex.Code);
    }

    [Fact]
    public void Compile_ModeratelyNestedParentheses_Evaluates()
    {
        var source = new string('(', 300) + "41 + 1" + new string(')', 300);
        var result = JsonataExpression.Compile(source).EvaluateWithoutInput();
        Assert.Equal("42", result.ToJsonString());
    }

    [Fact]
    public void Compile_Twice_KeepsSourceAndIsIndependent()
    {
        var a = JsonataExpression.Compile("a");
        var b = JsonataExpression.Compile("b");
        Assert.Equal("a", a.Source);
        Assert.Equal("b", b.Source);
    }

    [Fact]
    public void Compile_NullExpression_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => JsonataExpression.Compile(null!));
    }
}
