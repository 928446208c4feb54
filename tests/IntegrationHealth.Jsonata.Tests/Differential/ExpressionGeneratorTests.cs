namespace IntegrationHealth.Jsonata.Tests.Differential;

public sealed class ExpressionGeneratorTests
{
    [Fact]
    public void Generate_SameSeed_ProducesIdenticalPayloadsAndExpressions()
    {
        var first = DifferentialRun.Generate(seed: 7, count: 400);
        var second = DifferentialRun.Generate(seed: 7, count: 400);

        Assert.Equal(first.Payloads.Select(p => p.Document.ToJsonString()), second.Payloads.Select(p => p.Document.ToJsonString()));
        Assert.Equal(first.Cases.Select(c => (c.Expression, c.Payload.Index)), second.Cases.Select(c => (c.Expression, c.Payload.Index)));
    }

    [Fact]
    public void Generate_DifferentSeeds_ProduceDifferentExpressions()
    {
        var first = DifferentialRun.Generate(seed: 1, count: 200).Cases.Select(c => c.Expression).ToArray();
        var second = DifferentialRun.Generate(seed: 2, count: 200).Cases.Select(c => c.Expression).ToArray();

        Assert.True(first.Zip(second).Count(pair => pair.First != pair.Second) > 150, "seeds 1 and 2 generated nearly the same cases");
    }

    [Fact]
    public void Generate_DefaultCount_CoversEveryFamilyEvenly()
    {
        var (_, cases) = DifferentialRun.Generate(DifferentialRun.DefaultSeed, DifferentialRun.DefaultCount);

        Assert.True(cases.Count >= 2000);
        foreach (var family in ExpressionGenerator.FamilyNames)
        {
            Assert.Equal(DifferentialRun.DefaultCount / ExpressionGenerator.FamilyNames.Count, cases.Count(c => c.Family == family));
        }
    }

    [Fact]
    public void Generate_Payloads_ContainNullsEmptyArraysAndNonAsciiText()
    {
        var (payloads, _) = DifferentialRun.Generate(DifferentialRun.DefaultSeed, count: 1);
        var strings = payloads.SelectMany(p => Strings(p.Document)).ToArray();
        var text = string.Concat(payloads.Select(p => p.Document.ToJsonString()));

        Assert.Contains(":null", text);
        Assert.Contains(":[]", text);
        Assert.Contains(strings, s => s.Contains('ü'));
        Assert.Contains(strings, s => s.Contains("😀", StringComparison.Ordinal));
        Assert.Equal(4, payloads.Select(p => p.Kind).Distinct().Count());
    }

    private static IEnumerable<string> Strings(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => o.SelectMany(p => Strings(p.Value)),
        System.Text.Json.Nodes.JsonArray a => a.SelectMany(Strings),
        System.Text.Json.Nodes.JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };
}
