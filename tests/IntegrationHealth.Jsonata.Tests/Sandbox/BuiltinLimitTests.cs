namespace IntegrationHealth.Jsonata.Tests.Sandbox;

/// <summary>
/// The timeout reaches inside built-ins and operators (each of these takes seconds to minutes without it, so the
/// timeout error proves it interrupted them); the memory limit's tests are <see cref="MemoryLimitTests"/>. No wall-clock assertions here:
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
}
