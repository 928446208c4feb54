using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Tests.Sandbox;

public sealed class SandboxTests
{
    private static JsonataException Fails(string expression, JsonataOptions options) =>
        Assert.Throws<JsonataException>(() => JsonataExpression.Compile(expression).EvaluateWithoutInput(null, options));

    [Fact]
    public void Evaluate_UnboundedNonTailRecursion_ThrowsU1001()
    {
        var ex = Fails("($f := function($n){ 1 + $f($n + 1) }; $f(0))", new JsonataOptions());
        Assert.Equal("U1001", ex.Code);
    }

    [Fact]
    public void Evaluate_InfiniteTailRecursion_StopsAtTimeoutWithU1001()
    {
        var ex = Fails("($f := function($n){ $f($n + 1) }; $f(0))", new JsonataOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        Assert.Equal("U1001", ex.Code);
    }

    [Fact]
    public void Evaluate_DeepTailRecursionWithinLimits_Succeeds()
    {
        var result = JsonataExpression.Compile("($count := function($n, $acc){ $n = 0 ? $acc : $count($n - 1, $acc + 1) }; $count(100000, 0))")
            .EvaluateWithoutInput(null, new JsonataOptions { MaxDepth = 50 });
        Assert.Equal("100000", result.ToJsonString());
    }

    [Fact]
    public void Evaluate_VeryDeepNonTailRecursionWithHighDepthLimit_CompletesOnLargerStacksWithoutCrashing()
    {
        var result = JsonataExpression.Compile("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(20000))")
            .EvaluateWithoutInput(null, new JsonataOptions { MaxDepth = 1_000_000 });
        Assert.Equal("20000", result.ToJsonString());
    }

    [Fact]
    public void Evaluate_UnlimitedDepthAndEndlessRecursion_ThrowsInsteadOfStackOverflow()
    {
        var ex = Fails("($f := function($n){ 1 + $f($n + 1) }; $f(0))", new JsonataOptions { MaxDepth = int.MaxValue });
        Assert.Equal("U1001", ex.Code);
    }

    [Fact]
    public void Evaluate_DepthLimit_CountsNestedSteps()
    {
        const string factorial = "($f := function($n){ $n = 0 ? 1 : $n * $f($n - 1) }; $f(99))";
        var options = new JsonataOptions { MaxDepth = 302 };
        Assert.Equal("9.33262154439441e+155", JsonataExpression.Compile(factorial).EvaluateWithoutInput(null, options).ToJsonString());
        Assert.Equal("U1001", Fails(factorial.Replace("$f(99)", "$f(100)", StringComparison.Ordinal), options).Code);
    }

    [Fact]
    public void Evaluate_RangeLargerThanOutputLimit_ThrowsU1002()
    {
        var ex = Fails("[1..100000]", new JsonataOptions { MaxOutputSize = 1000 });
        Assert.Equal("U1002", ex.Code);
    }

    [Fact]
    public void Evaluate_ResultLargerThanOutputLimit_ThrowsU1002()
    {
        var input = new JsonArray(Enumerable.Range(0, 50).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
        var ex = Assert.Throws<JsonataException>(() =>
            JsonataExpression.Compile("$").Evaluate(input, null, new JsonataOptions { MaxOutputSize = 10 }));
        Assert.Equal("U1002", ex.Code);
    }

    [Fact]
    public void Evaluate_WithinAllLimits_ReturnsResult()
    {
        var options = new JsonataOptions { Timeout = TimeSpan.FromSeconds(30), MaxDepth = 100, MaxOutputSize = 100 };
        Assert.Equal("[1,2,3]", JsonataExpression.Compile("[1..3]").EvaluateWithoutInput(null, options).ToJsonString());
    }
}
