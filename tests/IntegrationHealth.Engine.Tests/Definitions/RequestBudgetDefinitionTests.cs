using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Definitions;
using static IntegrationHealth.Engine.Tests.Definitions.TestDefinitions;

namespace IntegrationHealth.Engine.Tests.Definitions;

/// <summary><c>rate_limit.budget</c> is validated at load like every member, errors naming its JSONPath.</summary>
public sealed class RequestBudgetDefinitionTests
{
    private static JsonObject WithBudget(string budget, bool headers = true)
    {
        var definition = Minimal();
        var rateLimit = new JsonObject { ["budget"] = JsonNode.Parse(budget) };
        if (headers)
        {
            rateLimit["remaining"] = new JsonObject { ["header"] = "X-RateLimit-Remaining" };
            rateLimit["reset"] = new JsonObject { ["header"] = "X-RateLimit-Reset", ["unit"] = "epoch_seconds" };
        }
        definition["rate_limit"] = rateLimit;
        return definition;
    }

    [Fact]
    public void TryLoad_Budget_Loads()
    {
        var (provider, errors) = Loader.TryLoad(WithBudget("""{ "requests": 100, "per_seconds": 10, "min_remaining": 5 }""").ToJsonString());

        Assert.Empty(errors);
        Assert.Equal(new RequestBudgetDefinition { Requests = 100, PerSeconds = 10, MinRemaining = 5 }, provider!.Definition.RateLimit!.Budget);
    }

    [Theory]
    [InlineData("""{ "requests": 0, "per_seconds": 10 }""", "$.rate_limit.budget.requests")]
    [InlineData("""{ "requests": 10, "per_seconds": -1 }""", "$.rate_limit.budget.per_seconds")]
    [InlineData("""{ "requests": 10, "per_seconds": 100000 }""", "$.rate_limit.budget.per_seconds")]
    [InlineData("""{ "requests": "ten", "per_seconds": 10 }""", "$.rate_limit.budget.requests")]
    [InlineData("""{ "requests": 1.5, "per_seconds": 10 }""", "$.rate_limit.budget.requests")]
    [InlineData("""{ "min_remaining": -2 }""", "$.rate_limit.budget.min_remaining")]
    [InlineData("""{ "requests": 10, "per_minute": 1 }""", "$.rate_limit.budget.per_minute")]
    public void TryLoad_BadBudgetValue_NamesItsPath(string budget, string path)
    {
        var errors = Errors(WithBudget(budget));

        Assert.Contains(errors, e => e.Path == path);
    }

    [Theory]
    [InlineData("""{ "requests": 10 }""")]
    [InlineData("""{ "per_seconds": 10 }""")]
    [InlineData("""{ }""")]
    public void TryLoad_IncompleteBudget_IsRefusedAtTheBudget(string budget)
    {
        var errors = Errors(WithBudget(budget));

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.StartsWith("$.rate_limit.budget", e.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void TryLoad_MinRemainingWithoutTheHeaders_NamesMinRemaining()
    {
        var errors = Errors(WithBudget("""{ "min_remaining": 3 }""", headers: false));

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("$.rate_limit.budget.min_remaining", e.Path));
        Assert.Contains(errors, e => e.Message.Contains("rate_limit.remaining", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("rate_limit.reset", StringComparison.Ordinal));
    }
}
