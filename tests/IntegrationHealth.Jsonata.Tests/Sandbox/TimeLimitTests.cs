using System.Diagnostics;

namespace IntegrationHealth.Jsonata.Tests.Sandbox;

/// <summary>Serial: these two measure wall-clock time, which other tests running at once would distort.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimeLimitCollection
{
    public const string Name = "Sandbox time limits";
}

/// <summary>
/// The evaluation timeout holds within 100 ms of its value where it used to be overrun by seconds: a catastrophic regex
/// (each match gets only the remaining budget) and recursion with the depth limit off (no waiting for a deep stack to
/// unwind). The only wall-clock bounds in the unit tests; the issue requires exactly these two.
/// </summary>
[Collection(TimeLimitCollection.Name)]
public sealed class TimeLimitTests
{
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Evaluate_CatastrophicRegexWithOneSecondTimeout_EndsWithinItWithTheTimeoutError()
    {
        var timeout = TimeSpan.FromSeconds(1);
        var expression = JsonataExpression.Compile("$match(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\", /(a+)+$/)");

        var (error, elapsed) = Measure(() => expression.EvaluateWithoutInput(null, new JsonataOptions { Timeout = timeout }));

        Assert.Equal("U1001", error.Code);
        Assert.StartsWith("Evaluation timeout after 1000 milliseconds", error.Message, StringComparison.Ordinal);
        Assert.True(elapsed < timeout + Slack, $"took {elapsed.TotalMilliseconds:0} ms");
        AssertProcessGoesOn();
    }

    [Fact]
    public void Evaluate_DeepRecursionWithDepthLimitOffAndTwoSecondTimeout_EndsWithinItWithTheTimeoutError()
    {
        // Non-tail recursion with real work at each level: it is still going (thousands of levels deep, on fresh
        // stacks) when the deadline comes, instead of running out of stack first.
        var timeout = TimeSpan.FromSeconds(2);
        var expression = JsonataExpression.Compile("($f := function($n){ $count([1..2000][$ % 3 = 0]) + $f($n + 1) }; $f(0))");

        var (error, elapsed) = Measure(() =>
            expression.EvaluateWithoutInput(null, new JsonataOptions { Timeout = timeout, MaxDepth = int.MaxValue }));

        Assert.Equal("U1001", error.Code);
        Assert.StartsWith("Evaluation timeout after 2000 milliseconds", error.Message, StringComparison.Ordinal);
        Assert.True(elapsed < timeout + Slack, $"took {elapsed.TotalMilliseconds:0} ms");
        AssertProcessGoesOn();
    }

    private static (JsonataException Error, TimeSpan Elapsed) Measure(Func<JsonataResult> evaluate)
    {
        var start = Stopwatch.GetTimestamp();
        var error = Assert.Throws<JsonataException>(() => evaluate());
        return (error, Stopwatch.GetElapsedTime(start));
    }

    private static void AssertProcessGoesOn() =>
        Assert.Equal("{\"match\":\"aaa\",\"index\":0,\"groups\":[]}",
            JsonataExpression.Compile("$match('aaa', /a+/)").EvaluateWithoutInput(null, new JsonataOptions { Timeout = TimeSpan.FromSeconds(1) }).ToJsonString());
}
