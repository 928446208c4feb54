using System.Text.Json;

namespace IntegrationHealth.Jsonata.Tests.Evaluation;

/// <summary>
/// Paths of plain field steps (<c>a.b.c</c>, <c>$v.a.b</c>) are evaluated as a chain of lookups while every value is
/// single, and the general way as soon as a step yields an array. Expected values are jsonata-js 2.2.2's.
/// </summary>
public sealed class PlainPathTests
{
    private const string Input = """
        {"a":{"b":{"c":"x","n":null,"arr":[1,2],"nested":[[1,2]],"one":[7]}},
         "list":[{"b":{"c":1}},{"b":{"c":2}},{"b":[{"c":3},{"c":4}]}],
         "empty":{"b":[]}}
        """;

    [Theory]
    [InlineData("a.b.c", "\"x\"")]
    [InlineData("a.b.n", "null")]
    [InlineData("a.b.missing", null)]
    [InlineData("a.missing.c", null)]
    [InlineData("a.b.c.d", null)] // a field of a string
    [InlineData("a.b.arr", "[1,2]")]
    [InlineData("a.b.one", "[7]")] // the last step keeps a JSON array of one
    [InlineData("a.b.nested", "[[1,2]]")]
    [InlineData("list.b.c", "[1,2,3,4]")]
    [InlineData("empty.b.c", null)]
    [InlineData("($v := a; $v.b.c)", "\"x\"")]
    [InlineData("($v := list; $v.b.c)", "[1,2,3,4]")]
    [InlineData("($v := a.b.one; $v.x)", null)]
    [InlineData("($v := {'b': [{'c': 5}]}; $v.b.c)", "5")]
    [InlineData("$.a.b.c", "\"x\"")]
    [InlineData("$map(list, function($i){ $i.b.c })", "[1,2,[3,4]]")]
    [InlineData("($f := function(){ 1 }; $f.a)", null)]
    public void Evaluate_PlainFieldPaths_MatchJsonata(string expression, string? expected)
    {
        using var document = JsonDocument.Parse(Input);
        var compiled = JsonataExpression.Compile(expression);
        Assert.Equal(expected, compiled.Evaluate(document.RootElement).ToJsonString());
        Assert.Equal(expected, compiled.EvaluateInput(JsonataInput.From(document.RootElement)).ToJsonString());
    }

    [Fact]
    public void Evaluate_PlainFieldPathOverTopLevelArray_MapsEveryItem()
    {
        using var document = JsonDocument.Parse("""[{"a":{"b":1}},{"a":{"b":2}}]""");
        Assert.Equal("[1,2]", JsonataExpression.Compile("a.b").Evaluate(document.RootElement).ToJsonString());
        Assert.Equal("[1,2]", JsonataExpression.Compile("$.a.b").Evaluate(document.RootElement).ToJsonString());
    }

    [Fact]
    public void Evaluate_PlainFieldPath_CountsEveryStepAgainstTheDepthLimit()
    {
        // One step for the path and one per field while it is looked up, as the general path evaluation counts them: depth 2.
        using var document = JsonDocument.Parse(Input);
        var compiled = JsonataExpression.Compile("a.b.c");
        Assert.Equal("\"x\"", compiled.Evaluate(document.RootElement, options: new JsonataOptions { MaxDepth = 2 }).ToJsonString());
        var ex = Assert.Throws<JsonataException>(() => compiled.Evaluate(document.RootElement, options: new JsonataOptions { MaxDepth = 1 }));
        Assert.Equal("U1001", ex.Code);
    }
}
