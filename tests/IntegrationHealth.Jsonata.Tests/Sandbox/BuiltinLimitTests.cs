using System.Text;

namespace IntegrationHealth.Jsonata.Tests.Sandbox;

/// <summary>
/// The timeout reaches inside built-ins and operators (each of these takes seconds to minutes without it, so the
/// timeout error proves it interrupted them), and the memory limit bounds what an evaluation holds. No wall-clock assertions here:
/// only the two tests of <see cref="TimeLimitTests"/> measure time.
/// </summary>
public sealed class BuiltinLimitTests
{
    private static JsonataException Fails(string expression, JsonataOptions options) =>
        Assert.Throws<JsonataException>(() => JsonataExpression.Compile(expression).EvaluateWithoutInput(null, options));

    [Theory]
    [InlineData("$distinct([1..200000])")]
    [InlineData("$sort([1..3000000].($ % 1000))")]
    [InlineData("[1..3000000]^(-$)")]
    [InlineData("$count([1..200000][$ in [1..200000]])")]
    [InlineData("$count($match($join([1..10000000].(\"a\")), /a/))")]
    [InlineData("$string([1..3000000].{'a': $})")]
    [InlineData("$count([1..3000000] = [1..3000000]) + $count([1..3000000] = [1..3000000]) + $count([1..3000000] = [1..3000000])")]
    [InlineData("$count($keys([1..3000000].{'k' & $: 1}))")]
    public void Evaluate_LongRunningBuiltinOrOperator_StopsAtTheTimeout(string expression)
    {
        var error = Fails(expression, new JsonataOptions { Timeout = TimeSpan.FromMilliseconds(100), MaxMemory = 8L << 30 });
        Assert.Equal("U1001", error.Code);
        Assert.StartsWith("Evaluation timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_StringDoublingEachStep_StopsAtTheMemoryLimit()
    {
        var error = Fails("($f := function($s, $n){ $n = 0 ? $s : $f($s & $s, $n - 1) }; $length($f('x', 40)))", new JsonataOptions());
        Assert.Equal("U1002", error.Code);
        Assert.StartsWith("Memory limit exceeded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_AllocatingGarbageForLong_IsStoppedByTheTimeoutNotTheMemoryLimit()
    {
        // Endless tail recursion allocates hundreds of MB a second, all of it garbage: what the evaluation holds stays
        // small, so only the timeout ends it.
        var error = Fails("($f := function($n){ $f($n + 1) }; $f(0))", new JsonataOptions { Timeout = TimeSpan.FromMilliseconds(500), MaxMemory = 20_000_000 });
        Assert.Equal("U1001", error.Code);
    }

    [Theory]
    [InlineData("[1..10000000]")]
    [InlineData("$pad('x', 5000000)")]
    [InlineData("$join([1..100].($pad('x', 20000)))")]
    public void Evaluate_LargeAllocation_IsRefusedBeforeItIsMade(string expression)
    {
        var error = Fails(expression, new JsonataOptions { MaxMemory = 1_000_000 });
        Assert.Equal("U1002", error.Code);
    }

    [Fact]
    public void EvaluateUtf8_ConvertingTheInput_CountsAgainstTheMemoryLimit()
    {
        var json = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Range(0, 50_000).Select(i => $$"""{"id":{{i}},"name":"n{{i}}"}""")) + "]");
        var expression = JsonataExpression.Compile("$count(**.name)");
        Assert.Equal("U1002", Assert.Throws<JsonataException>(() => expression.EvaluateUtf8(json, null, new JsonataOptions { MaxMemory = 1_000_000 })).Code);
        Assert.Equal("50000", expression.EvaluateUtf8(json).ToJsonString());
    }
}
