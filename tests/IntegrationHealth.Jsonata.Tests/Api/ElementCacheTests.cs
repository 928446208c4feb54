using System.Text.Json;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Tests.Api;

public sealed class ElementCacheTests
{
    [Fact]
    public void Convert_SameElementTwice_ReturnsTheSameConvertedValue()
    {
        using var doc = JsonDocument.Parse("""{"records":[{"a":1},{"a":2}]}""");
        var first = ElementCache.Convert(doc.RootElement);
        var second = ElementCache.Convert(doc.RootElement);
        Assert.IsType<ObjectValue>(first);
        Assert.Same(first, second);
    }

    [Fact]
    public void Convert_DifferentElementsOfOneDocument_AreCachedSeparately()
    {
        using var doc = JsonDocument.Parse("""{"records":[{"a":1},{"a":2}]}""");
        var records = doc.RootElement.GetProperty("records").EnumerateArray().ToArray();
        var first = (ObjectValue)ElementCache.Convert(records[0])!;
        var second = (ObjectValue)ElementCache.Convert(records[1])!;
        Assert.Equal(1d, first.GetValueOrDefault("a"));
        Assert.Equal(2d, second.GetValueOrDefault("a"));
    }

    [Fact]
    public void Evaluate_EqualTextInDifferentDocuments_ConvertsEachDocument()
    {
        using var one = JsonDocument.Parse("""{"a":1}""");
        using var two = JsonDocument.Parse("""{"a":2}""");
        var expr = JsonataExpression.Compile("a");
        Assert.Equal("1", expr.Evaluate(one.RootElement).ToJsonString());
        Assert.Equal("2", expr.Evaluate(two.RootElement).ToJsonString());
        Assert.Equal("1", expr.Evaluate(one.RootElement).ToJsonString());
    }

    [Fact]
    public void Evaluate_TransformOverCachedDocument_LeavesLaterEvaluationsUnaffected()
    {
        using var doc = JsonDocument.Parse("""{"items":[{"n":1},{"n":2}]}""");
        var transform = JsonataExpression.Compile("$ ~> |items|{'n': n * 10}|");
        Assert.Equal("""{"items":[{"n":10},{"n":20}]}""", transform.Evaluate(doc.RootElement).ToJsonString());
        Assert.Equal("[1,2]", JsonataExpression.Compile("items.n").Evaluate(doc.RootElement).ToJsonString());
    }
}
