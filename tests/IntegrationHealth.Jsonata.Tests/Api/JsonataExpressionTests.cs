using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHealth.Jsonata.Tests.Api;

public sealed class JsonataExpressionTests
{
    private const string Contact = """
        {"id": 7, "first": "Ada", "last": "Lovelace", "email": "ADA@EXAMPLE.COM", "tags": ["vip"], "manager": null,
         "orders": [{"amount": 10.5, "status": "paid"}, {"amount": 4, "status": "open"}, {"amount": 1.5, "status": "paid"}]}
        """;

    [Fact]
    public void Evaluate_MissingField_IsUndefinedNotNull()
    {
        var result = JsonataExpression.Compile("nothing").Evaluate(JsonNode.Parse(Contact));
        Assert.True(result.IsUndefined);
        Assert.Null(result.ToJsonString());
    }

    [Fact]
    public void Evaluate_NullField_IsJsonNull()
    {
        var result = JsonataExpression.Compile("manager").Evaluate(JsonNode.Parse(Contact));
        Assert.False(result.IsUndefined);
        Assert.Null(result.Value);
        Assert.Equal("null", result.ToJsonString());
    }

    [Fact]
    public void Evaluate_NullInput_IsJsonNullWhereasNoInputIsUndefined()
    {
        var expr = JsonataExpression.Compile("$");
        Assert.Equal("null", expr.Evaluate((JsonNode?)null).ToJsonString());
        Assert.True(expr.EvaluateWithoutInput().IsUndefined);
    }

    [Fact]
    public void Evaluate_JsonElementAndJsonNodeAndPreparedInputs_GiveTheSameResult()
    {
        var expr = JsonataExpression.Compile("{ 'name': first & ' ' & last, 'paid': $sum(orders[status = 'paid'].amount), 'email': $lowercase(email) }");
        using var doc = JsonDocument.Parse(Contact);
        var fromNode = expr.Evaluate(JsonNode.Parse(Contact)).ToJsonString();
        var fromElement = expr.Evaluate(doc.RootElement).ToJsonString();
        var fromPrepared = expr.EvaluateInput(JsonataInput.From(doc.RootElement)).ToJsonString();
        Assert.Equal("""{"name":"Ada Lovelace","paid":12,"email":"ada@example.com"}""", fromNode);
        Assert.Equal(fromNode, fromElement);
        Assert.Equal(fromNode, fromPrepared);
    }

    [Fact]
    public void Value_ObjectResult_BuildsEquivalentJsonNode()
    {
        var result = JsonataExpression.Compile("orders[status='paid']").Evaluate(JsonNode.Parse(Contact));
        var array = Assert.IsType<JsonArray>(result.Value);
        Assert.Equal(2, array.Count);
        Assert.Equal(10.5, array[0]!["amount"]!.GetValue<double>());
        Assert.Same(result.Value, result.Value);
    }

    [Fact]
    public void Evaluate_PreparedInput_IsNotModifiedByTransforms()
    {
        var input = JsonataInput.From(JsonNode.Parse(Contact));
        var transform = JsonataExpression.Compile("$ ~> |orders|{'amount': 0}, ['status']|");
        var changed = transform.EvaluateInput(input).ToJsonString();
        Assert.Contains("\"amount\":0", changed, StringComparison.Ordinal);
        var original = JsonataExpression.Compile("orders.amount").EvaluateInput(input).ToJsonString();
        Assert.Equal("[10.5,4,1.5]", original);
    }

    [Fact]
    public void Evaluate_SameExpressionFromManyThreads_GivesIndependentCorrectResults()
    {
        var expr = JsonataExpression.Compile("($double := function($x){ $x * 2 }; $map(values, $double) ~> $sum())");
        var expected = Enumerable.Range(0, 64).Select(i => (i * (i + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var actual = new string?[64];
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var values = new JsonArray(Enumerable.Range(0, i + 1).Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            for (var repeat = 0; repeat < 20; repeat++)
            {
                actual[i] = expr.Evaluate(new JsonObject { ["values"] = values.DeepClone() }).ToJsonString();
            }
        });
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Evaluate_NowAndMillis_UseTheConfiguredClockForTheWholeEvaluation()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2024-03-01T12:34:56.789Z", System.Globalization.CultureInfo.InvariantCulture));
        var result = JsonataExpression.Compile("[$now(), $millis(), $millis() = $millis()]")
            .EvaluateWithoutInput(null, new JsonataOptions { TimeProvider = clock });
        Assert.Equal("""["2024-03-01T12:34:56.789Z",1709296496789,true]""", result.ToJsonString());
    }

    [Fact]
    public void Evaluate_TypeErrorInOperator_CarriesCodeTokenAndPosition()
    {
        var ex = Assert.Throws<JsonataException>(() => JsonataExpression.Compile("'a' + 1").EvaluateWithoutInput());
        Assert.Equal("T2001", ex.Code);
        Assert.Equal("+", ex.Token);
        Assert.Equal(5, ex.Position);
        Assert.Equal("The left side of the \"+\" operator must evaluate to a number", ex.Message);
    }
}
