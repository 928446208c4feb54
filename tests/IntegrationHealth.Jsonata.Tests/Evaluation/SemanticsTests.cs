using System.Text.Json;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Tests.Evaluation;

/// <summary>Boxed numbers read from input: small integers share a box, every other number keeps its exact value.</summary>
public sealed class SemanticsTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(500.0)]
    [InlineData(1023.0)]
    public void Box_SmallInteger_IsSharedAndKeepsItsValue(double value)
    {
        Assert.Same(Semantics.Box(value), Semantics.Box(value));
        Assert.Equal(value, (double)Semantics.Box(value));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(1024.0)]
    [InlineData(500.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(2147483647.0)]
    public void Box_OtherNumber_KeepsItsValue(double value) => Assert.Equal(value, (double)Semantics.Box(value));

    [Fact]
    public void Box_NegativeZero_StaysNegative() => Assert.True(double.IsNegative((double)Semantics.Box(-0.0)));

    [Fact]
    public void Evaluate_NumbersFromInput_KeepValueAndSignOfZero()
    {
        // 1/-0 is -Infinity in JavaScript: the shared box of 0 must not turn -0 into 0.
        const string json = """{"z":-0,"s":500,"f":500.5,"big":1024}""";
        using var document = JsonDocument.Parse(json);
        var compiled = JsonataExpression.Compile("[s, f, big, s = 500, 1/z < 0]");
        Assert.Equal("[500,500.5,1024,true,true]", compiled.Evaluate(document.RootElement).ToJsonString());
        Assert.Equal("[500,500.5,1024,true,true]", compiled.EvaluateInput(JsonataInput.From(document.RootElement)).ToJsonString());
    }
}
