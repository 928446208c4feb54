using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Definitions;
using Microsoft.Extensions.Logging.Abstractions;
using static IntegrationHealth.Engine.Tests.Definitions.TestDefinitions;

namespace IntegrationHealth.Engine.Tests.Definitions;

/// <summary>Definitions are validated when loaded: by the published schema, then by the semantic checks, every error
/// naming the JSONPath of the value at fault.</summary>
public sealed class DefinitionLoaderTests
{
    [Fact]
    public void TryLoad_MinimalDefinition_Loads()
    {
        var (provider, errors) = Loader.TryLoad(Minimal().ToJsonString());

        Assert.Empty(errors);
        Assert.Equal("testcrm", provider!.Key);
        Assert.Equal("cursor", provider.Definition.Resources["contacts"].Operations["list"].Pagination!.Strategy);
    }

    [Fact]
    public void Registry_ShippedDefinitions_AllLoad()
    {
        var registry = new ProviderRegistry([new ShippedProviderDefinitions()], Loader, NullLogger<ProviderRegistry>.Instance);

        Assert.Equal(["bamboohr", "greenhouse", "hubspot", "personio", "pipedrive", "salesforce", "zendesk"], registry.All.Select(p => p.Key));
        Assert.All(registry.All, p => Assert.StartsWith("shipped:Providers/", p.Origin));
    }

    [Fact]
    public void SchemaText_IsThePublishedFileInTheRepository()
    {
        var file = Path.Combine(RepositoryRoot(), "src", "IntegrationHealth.Engine", "Definitions", "provider.schema.json");

        Assert.Equal(File.ReadAllText(file), ProviderDefinitionLoader.SchemaText);
    }

    [Fact]
    public void TryLoad_MissingRequiredMember_NamesItsPath()
    {
        var definition = Minimal();
        definition.Remove("base_url");

        var errors = Errors(definition);

        Assert.Contains(errors, e => e.Path == "$.base_url");
    }

    [Fact]
    public void TryLoad_UnknownPaginationStrategy_NamesTheNestedPath()
    {
        var definition = Minimal();
        List(definition)["pagination"]!["strategy"] = "sideways";

        var errors = Errors(definition);

        var error = Assert.Single(errors, e => e.Path == "$.resources.contacts.operations.list.pagination.strategy");
        Assert.Contains("cursor", error.Message); // the message lists what is allowed
    }

    [Fact]
    public void TryLoad_MisspelledMember_NamesTheMember()
    {
        var definition = Minimal();
        definition["auth"]!["injekt"] = new JsonObject { ["header"] = "X-Key", ["value"] = "{token}" };

        var errors = Errors(definition);

        Assert.Contains(errors, e => e.Path == "$.auth.injekt" || (e.Path == "$.auth" && e.Message.Contains("injekt")));
    }

    [Fact]
    public void TryLoad_CursorWithoutWhereToSendIt_NamesTheMissingMember()
    {
        var definition = Minimal();
        List(definition)["pagination"]!.AsObject().Remove("cursor_to");

        var errors = Errors(definition);

        Assert.Contains(errors, e => e.Path == "$.resources.contacts.operations.list.pagination.cursor_to");
    }

    [Fact]
    public void TryLoad_OAuthWithoutTokenUrl_NamesTheMissingMember()
    {
        var definition = Minimal();
        definition["auth"] = new JsonObject { ["kind"] = "oauth2_client_credentials" };

        var errors = Errors(definition);

        Assert.Contains(errors, e => e.Path == "$.auth.token_url");
    }

    [Fact]
    public void TryLoad_StatusMatchOutOfRange_NamesTheArrayItem()
    {
        var definition = Minimal();
        definition["responses"] = JsonNode.Parse("""[{ "when": { "status": [401] }, "action": "needs_reauth" }, { "when": { "status": [700] }, "action": "retry" }]""");

        var errors = Errors(definition);

        Assert.Contains(errors, e => e.Path == "$.responses[1].when.status[0]");
    }

    [Fact]
    public void TryLoad_BadResponseMapping_IsRefusedWithCodeAndPosition()
    {
        var definition = Minimal();
        List(definition)["response_mapping"] = "{ 'id': id, 'email': email ";

        var error = Assert.Single(Errors(definition));

        Assert.Equal("$.resources.contacts.operations.list.response_mapping", error.Path);
        Assert.StartsWith("S0", error.Code);
        Assert.Equal(27, error.Position);
        Assert.Contains("Invalid JSONata", error.Message);
    }

    [Fact]
    public void TryLoad_BadPredicateInRule_IsRefusedWithItsRulePath()
    {
        var definition = Minimal();
        definition["responses"] = JsonNode.Parse("""[{ "when": { "status": [401], "body": "error = = 'expired'" }, "action": "refresh_then_retry_once" }]""");

        var error = Assert.Single(Errors(definition));

        Assert.Equal("$.responses[0].when.body", error.Path);
        Assert.NotNull(error.Code);
        Assert.True(error.Position > 0);
    }

    [Fact]
    public void TryLoad_TemplateNamesUndeclaredConnectionValue_IsRefused()
    {
        var definition = Minimal();
        definition["base_url"] = "https://{subdomain}.api.test.example";

        var error = Assert.Single(Errors(definition));

        Assert.Equal("$.base_url", error.Path);
        Assert.Contains("{subdomain}", error.Message);
        Assert.Contains("region", error.Message);
    }

    [Fact]
    public void TryLoad_InjectionNamesUnknownCredentialField_IsRefused()
    {
        var definition = Minimal();
        definition["auth"] = JsonNode.Parse("""{ "kind": "api_key", "inject": { "header": "X-Api-Key", "value": "{apikey}" } }""");

        var error = Assert.Single(Errors(definition));

        Assert.Equal("$.auth.inject.value", error.Path);
        Assert.Contains("api_key", error.Message);
    }

    [Fact]
    public void TryLoad_UnknownModel_IsRefusedListingTheModels()
    {
        var definition = Minimal();
        definition["resources"]!["contacts"]!["model"] = "crm.lead";

        var error = Assert.Single(Errors(definition));

        Assert.Equal("$.resources.contacts.model", error.Path);
        Assert.Contains("hris.employee", error.Message);
    }

    [Fact]
    public void TryLoad_BodyPathOnGet_IsRefused()
    {
        var definition = Minimal();
        List(definition)["pagination"]!["cursor_to"] = new JsonObject { ["body_path"] = "page.cursor" };

        var error = Assert.Single(Errors(definition));

        Assert.Equal("$.resources.contacts.operations.list.pagination", error.Path);
    }

    [Theory]
    [InlineData("""{ "wait": { "header": "Retry-After", "unit": "retry_after" }, "action": "retry", "when": { "status": [503] } }""", "$.responses[0].wait")]
    [InlineData("""{ "action": "retry", "when": {} }""", "$.responses[0].when")]
    [InlineData("""{ "action": "panic", "when": { "status": [500] } }""", "$.responses[0].action")]
    [InlineData("""{ "action": "retry", "when": { "status": ["5XX"] } }""", "$.responses[0].when.status[0]")]
    public void TryLoad_BadRule_NamesIt(string rule, string path)
    {
        var definition = Minimal();
        definition["responses"] = new JsonArray(JsonNode.Parse(rule));

        Assert.Contains(Errors(definition), e => e.Path == path);
    }

    [Fact]
    public void TryLoad_ShortPageIsLastWithoutPageSize_IsRefused()
    {
        var definition = Minimal();
        List(definition)["pagination"]!["short_page_is_last"] = true;

        Assert.Equal("$.resources.contacts.operations.list.pagination.page_size", Assert.Single(Errors(definition)).Path);
    }

    [Fact]
    public void TryLoad_GetWithBody_IsRefused()
    {
        var definition = Minimal();
        List(definition)["body"] = new JsonObject { ["q"] = "x" };

        Assert.Equal("$.resources.contacts.operations.list.body", Assert.Single(Errors(definition)).Path);
    }

    [Fact]
    public void TryLoad_BaseUrlNotAbsolute_IsRefused()
    {
        var definition = Minimal();
        definition["base_url"] = "/{region}/api";

        Assert.Equal("$.base_url", Assert.Single(Errors(definition)).Path);
    }

    [Fact]
    public void TryLoad_PatternNotARegex_IsRefused()
    {
        var definition = Minimal();
        definition["connection_values"]!["region"]!["pattern"] = "[a-z";

        Assert.Equal("$.connection_values.region.pattern", Assert.Single(Errors(definition)).Path);
    }

    [Fact]
    public void TryLoad_NotJson_ReportsWhere()
    {
        var error = Assert.Single(Loader.TryLoad("{ \"key\": \"x\",\n  \"name\": }").Errors);

        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void TryLoad_DuplicateMember_IsRefused()
    {
        var json = Minimal().ToJsonString().Replace("\"name\":\"Test CRM\"", "\"name\":\"Test CRM\",\"name\":\"Other\"");

        Assert.NotEmpty(Loader.TryLoad(json).Errors);
    }

    [Fact]
    public void Load_Invalid_ThrowsWithEveryError()
    {
        var definition = Minimal();
        definition.Remove("name");
        definition["auth"]!["kind"] = "magic";

        var error = Assert.Throws<ProviderDefinitionException>(() => Loader.Load(definition.ToJsonString(), "upload"));

        Assert.Contains(error.Errors, e => e.Path == "$.name");
        Assert.Contains(error.Errors, e => e.Path == "$.auth.kind");
        Assert.Contains("upload", error.Message);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IntegrationHealth.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("The repository root (IntegrationHealth.sln) is not above the test assembly.");
    }
}
