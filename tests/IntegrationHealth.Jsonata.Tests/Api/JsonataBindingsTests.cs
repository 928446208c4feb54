using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Tests.Api;

public sealed class JsonataBindingsTests
{
    [Fact]
    public void Add_Value_IsVisibleAsVariable()
    {
        var bindings = new JsonataBindings().Add("rate", JsonValue.Create(0.2)).Add("none", null);
        var result = JsonataExpression.Compile("[100 * $rate, $none, $missing]").EvaluateWithoutInput(bindings);
        Assert.Equal("[20,null]", result.ToJsonString());
    }

    [Fact]
    public void AddFunction_WithSignature_ReceivesContextAndReturnsValue()
    {
        var bindings = new JsonataBindings().AddFunction("greet", args =>
            JsonataResult.Of(JsonValue.Create("hello " + args[0].Value!.GetValue<string>())), "<s-:s>");
        var result = JsonataExpression.Compile("name.$greet()").Evaluate(new JsonObject { ["name"] = "Ada" }, bindings);
        Assert.Equal("\"hello Ada\"", result.ToJsonString());
    }

    [Fact]
    public void AddFunction_UndefinedAndNullArguments_StayDistinct()
    {
        var seen = new List<string>();
        var bindings = new JsonataBindings().AddFunction("probe", args =>
        {
            seen.AddRange(args.Select(a => a.IsUndefined ? "undefined" : a.ToJsonString()!));
            return JsonataResult.Undefined;
        });
        var result = JsonataExpression.Compile("$probe(nothing, null, 1)").Evaluate(new JsonObject(), bindings);
        Assert.True(result.IsUndefined);
        Assert.Equal(["undefined", "null", "1"], seen);
    }

    [Fact]
    public void AddFunction_SignatureMismatch_ThrowsT0410()
    {
        var bindings = new JsonataBindings().AddFunction("twice", args => JsonataResult.Of(JsonValue.Create(args[0].Value!.GetValue<double>() * 2)), "<n:n>");
        var ex = Assert.Throws<JsonataException>(() => JsonataExpression.Compile("$twice('x')").EvaluateWithoutInput(bindings));
        Assert.Equal("T0410", ex.Code);
        Assert.Equal("twice", ex.Token);
    }

    [Fact]
    public void AddFunction_HostThrows_SurfacesAsJsonataError()
    {
        var bindings = new JsonataBindings().AddFunction("boom", _ => throw new InvalidOperationException("nope"));
        var ex = Assert.Throws<JsonataException>(() => JsonataExpression.Compile("$boom()").EvaluateWithoutInput(bindings));
        Assert.Equal("D3200", ex.Code);
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddFunction_UsedAsHigherOrderCallback_IsCalledPerItem()
    {
        var bindings = new JsonataBindings().AddFunction("inc", args => JsonataResult.Of(JsonValue.Create(args[0].Value!.GetValue<double>() + 1)), "<n:n>");
        var result = JsonataExpression.Compile("$map([1, 2, 3], $inc)").EvaluateWithoutInput(bindings);
        Assert.Equal("[2,3,4]", result.ToJsonString());
    }
}
