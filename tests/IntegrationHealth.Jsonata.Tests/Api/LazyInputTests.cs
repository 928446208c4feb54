using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Tests.Api;

/// <summary>
/// <c>Evaluate(JsonElement)</c>, <c>Evaluate(JsonNode)</c> and <c>EvaluateUtf8</c> read their input lazily: only what the
/// expression looks up is converted, results and errors never depend on the input once the call returns, and the
/// lazy views keep JSON.parse semantics (duplicate keys, key order, identity).
/// </summary>
public sealed class LazyInputTests
{
    private const string Document = """{"records":[{"id":1,"status":500},{"id":2,"status":200}],"meta":{"page":1,"tags":["a","b"]}}""";

    [Fact]
    public void FromElement_LookupOnly_LeavesTheObjectLazyAndMaterializingKeepsTheValuesHandedOut()
    {
        using var document = JsonDocument.Parse(Document);
        var root = Assert.IsType<ObjectValue>(LazyJson.FromElement(document.RootElement));

        Assert.True(root.TryGetValue("meta", out var meta));
        Assert.False(root.TryGetValue("missing", out _));
        Assert.True(Semantics.IsTruthy(root));
        Assert.True(root.IsLazy);
        Assert.True(Assert.IsType<ObjectValue>(meta).IsLazy);

        Assert.Equal(2, root.Count);
        Assert.False(root.IsLazy);
        Assert.Equal(["records", "meta"], root.Keys);
        Assert.Same(meta, root.ValueAt(1));
    }

    [Fact]
    public void FromElement_ScalarLookups_AreNotRememberedAndReadTheSameValueAgain()
    {
        // Scalars are read from the source on every lookup (no memo arrays per view): a filter over a large array
        // reads one field per item. Containers are remembered, so the same view comes back.
        using var document = JsonDocument.Parse(Document);
        var root = Assert.IsType<ObjectValue>(LazyJson.FromElement(document.RootElement));
        var meta = Assert.IsType<ObjectValue>(root.GetValueOrDefault("meta"));

        Assert.Equal(1.0, meta.GetValueOrDefault("page"));
        Assert.Equal(1.0, meta.GetValueOrDefault("page"));
        Assert.Null(meta.GetValueOrDefault("missing"));
        Assert.Null(meta.GetValueOrDefault("missing"));
        Assert.True(meta.IsLazy);
        Assert.Same(meta, root.GetValueOrDefault("meta"));
        Assert.Same(meta.GetValueOrDefault("tags"), meta.GetValueOrDefault("tags"));

        Assert.Equal(["page", "tags"], meta.Keys);
        Assert.Equal(1.0, meta.ValueAt(0));
    }

    [Theory]
    [InlineData("records[status >= 500 and status < 600].id", "1")]
    [InlineData("records[status = 200].(status + status)", "400")]
    [InlineData("meta.(page; page; $keys($))", """["page","tags"]""")]
    [InlineData("records.missing", null)]
    public void Evaluate_FieldsReadSeveralTimes_AgreeWithTheConvertedInput(string expression, string? expected)
    {
        using var document = JsonDocument.Parse(Document);
        var compiled = JsonataExpression.Compile(expression);
        Assert.Equal(expected, compiled.Evaluate(document.RootElement).ToJsonString());
        Assert.Equal(expected, compiled.EvaluateUtf8(Encoding.UTF8.GetBytes(Document)).ToJsonString());
        Assert.Equal(expected, compiled.Evaluate(JsonNode.Parse(Document)).ToJsonString());
        Assert.Equal(expected, compiled.EvaluateInput(JsonataInput.From(document.RootElement)).ToJsonString());
    }

    [Fact]
    public void FromNode_UntouchedMemberIsNeverConverted()
    {
        // Converting the poisoned member would serialize it, which throws: reading around it must not.
        var input = new JsonObject { ["a"] = 1, ["poison"] = JsonValue.Create(new Unserializable()) };
        var expression = JsonataExpression.Compile("a + 1");
        Assert.Equal("2", expression.Evaluate(input).ToJsonString());
        Assert.ThrowsAny<Exception>(() => JsonataExpression.Compile("$keys($)").Evaluate(input));
    }

    [Fact]
    public void Evaluate_ResultOfDisposedDocument_IsStillReadable()
    {
        JsonataResult result;
        using (var document = JsonDocument.Parse(Document))
        {
            result = JsonataExpression.Compile("records[status >= 500]").Evaluate(document.RootElement);
        }

        Assert.Equal("""{"id":1,"status":500}""", result.ToJsonString());
        Assert.Equal(500, result.Value!["status"]!.GetValue<double>());
    }

    [Fact]
    public void Evaluate_ErrorValueFromDisposedDocument_StillFormatsItsMessage()
    {
        JsonataException error;
        using (var document = JsonDocument.Parse(Document))
        {
            error = Assert.Throws<JsonataException>(() => JsonataExpression.Compile("-meta").Evaluate(document.RootElement));
        }

        Assert.Equal("D1002", error.Code);
        Assert.Contains("""{"page":1,"tags":["a","b"]}""", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", "2")]
    [InlineData("$keys($)", "[\"a\",\"b\"]")]
    [InlineData("$", """{"a":2,"b":3}""")]
    [InlineData("$string($)", "\"{\\\"a\\\":2,\\\"b\\\":3}\"")]
    public void Evaluate_DuplicateKeys_KeepTheFirstPositionAndTheLastValueAsJsonParse(string expression, string expected)
    {
        const string json = """{"a":1,"b":3,"a":2}""";
        using var document = JsonDocument.Parse(json);
        Assert.Equal(expected, JsonataExpression.Compile(expression).Evaluate(document.RootElement).ToJsonString());
        Assert.Equal(expected, JsonataExpression.Compile(expression).EvaluateUtf8(Encoding.UTF8.GetBytes(json)).ToJsonString());
    }

    [Fact]
    public void Evaluate_LookupThenWholeObject_GivesDocumentOrder()
    {
        using var document = JsonDocument.Parse("""{"z":1,"y":2,"x":3}""");
        Assert.Equal("""[3,{"z":1,"y":2,"x":3}]""", JsonataExpression.Compile("[x, $]").Evaluate(document.RootElement).ToJsonString());
    }

    [Fact]
    public void Evaluate_TransformOverLazyInput_LeavesTheInputUnchanged()
    {
        var input = JsonNode.Parse("""{"items":[{"n":1},{"n":2}]}""")!;
        Assert.Equal("""{"items":[{"n":10},{"n":20}]}""", JsonataExpression.Compile("$ ~> |items|{'n': n * 10}|").Evaluate(input).ToJsonString());
        Assert.Equal("""{"items":[{"n":1},{"n":2}]}""", input.ToJsonString());
    }

    [Fact]
    public void EvaluateUtf8_ByteOrderMarkAndDeepNesting_AreAccepted()
    {
        var deep = new string('[', 200) + "1" + new string(']', 200);
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"deep":""" + deep + "}")).ToArray();
        Assert.Equal("1", JsonataExpression.Compile("$count(deep)").EvaluateUtf8(bytes).ToJsonString());
    }

    [Fact]
    public void EvaluateUtf8_InvalidJson_ThrowsJsonException() =>
        Assert.ThrowsAny<JsonException>(() => JsonataExpression.Compile("a").EvaluateUtf8("{\"a\":"u8.ToArray()));

    [Fact]
    public void Evaluate_CaseInsensitiveJsonNode_LooksUpKeysExactly()
    {
        var input = JsonNode.Parse("""{"Name":"Ada"}""", new JsonNodeOptions { PropertyNameCaseInsensitive = true })!;
        Assert.True(JsonataExpression.Compile("name").Evaluate(input).IsUndefined);
        Assert.Equal("\"Ada\"", JsonataExpression.Compile("Name").Evaluate(input).ToJsonString());
    }

    [Fact]
    public void Evaluate_AllInputForms_AgreeOnEveryValueKind()
    {
        const string json = """{"s":"t\u00e9xt","n":-1.5e-7,"big":1e300,"t":true,"f":false,"z":null,"a":[1,[2,{"b":3}]],"o":{}}""";
        var expression = JsonataExpression.Compile("[s, n, big, t, f, z, a, o, $type(z), **.b, $count($keys($))]");
        using var document = JsonDocument.Parse(json);
        var expected = expression.EvaluateInput(JsonataInput.From(document.RootElement)).ToJsonString();
        Assert.Equal("""["tέxt",-1.5e-7,1e+300,true,false,null,1,[2,{"b":3}],{},"null",3,8]""".Replace("έ", "é", StringComparison.Ordinal), expected);
        Assert.Equal(expected, expression.Evaluate(document.RootElement).ToJsonString());
        Assert.Equal(expected, expression.Evaluate(JsonNode.Parse(json)).ToJsonString());
        Assert.Equal(expected, expression.EvaluateUtf8(Encoding.UTF8.GetBytes(json)).ToJsonString());
    }

    private sealed class Unserializable
    {
        public int Value => throw new InvalidOperationException("read");
    }
}
