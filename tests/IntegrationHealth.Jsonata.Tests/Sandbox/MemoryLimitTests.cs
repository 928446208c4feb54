using System.Text;

namespace IntegrationHealth.Jsonata.Tests.Sandbox;

/// <summary>Serial: the memory limit measures the process's heap, which tests running at once on other threads grow and
/// shrink (one releasing a large document offsets what the evaluation under test holds).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryLimitCollection
{
    public const string Name = "Sandbox memory limit";
}

/// <summary>The memory limit bounds what an evaluation holds, not what it allocates and drops.</summary>
[Collection(MemoryLimitCollection.Name)]
public sealed class MemoryLimitTests
{
    private static JsonataException Fails(string expression, JsonataOptions options) =>
        Assert.Throws<JsonataException>(() => JsonataExpression.Compile(expression).EvaluateWithoutInput(null, options));

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
        // The baseline is the heap as the last collection left it, which counts garbage in older generations (earlier
        // tests' documents) that the limit's own full collection then frees: with a 1 MB limit that slack would be
        // larger than what is measured here. A full collection first makes the baseline what the process holds.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.Equal("U1002", Assert.Throws<JsonataException>(() => expression.EvaluateUtf8(json, null, new JsonataOptions { MaxMemory = 1_000_000 })).Code);
        Assert.Equal("50000", expression.EvaluateUtf8(json).ToJsonString());
    }
}
