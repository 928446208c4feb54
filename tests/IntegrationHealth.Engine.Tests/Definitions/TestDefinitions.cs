using System.Text.Json.Nodes;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Models;

namespace IntegrationHealth.Engine.Tests.Definitions;

/// <summary>Definition documents written in the tests, and a loader for them.</summary>
public static class TestDefinitions
{
    public static readonly UnifiedModelCatalog Models = new();
    public static readonly ProviderDefinitionLoader Loader = new(Models);

    /// <summary>A small valid definition: bearer auth, one cursor-paginated resource mapped to crm.contact.</summary>
    public static JsonObject Minimal() => JsonNode.Parse("""
        {
          "key": "testcrm",
          "name": "Test CRM",
          "category": "crm",
          "connection_values": { "region": { "pattern": "[a-z]{2}", "default": "eu" } },
          "base_url": "https://{region}.api.test.example",
          "auth": { "kind": "bearer" },
          "resources": {
            "contacts": {
              "model": "crm.contact",
              "operations": {
                "list": {
                  "method": "GET",
                  "path": "/contacts",
                  "records": "items",
                  "pagination": { "strategy": "cursor", "cursor_from": { "body": "next" }, "cursor_to": { "query": "cursor" } },
                  "response_mapping": "{ 'id': $string(id), 'email': email }"
                }
              }
            }
          }
        }
        """)!.AsObject();

    public static JsonObject List(JsonObject definition) =>
        definition["resources"]!["contacts"]!["operations"]!["list"]!.AsObject();

    public static IReadOnlyList<DefinitionError> Errors(JsonNode definition) => Loader.TryLoad(definition.ToJsonString()).Errors;
}
