using System.Text.Json.Nodes;

namespace IntegrationHealth.Engine.Tests.Gaps;

/// <summary>The <see cref="DirectoryDouble"/>'s definition, written here as data: unified filters through query
/// mappings (query and body), an error mapping, a pre-step and post-steps.</summary>
public static class DirectoryDefinition
{
    public const string Document = """
        {
          "key": "directory",
          "name": "Directory",
          "category": "crm",
          "base_url": "https://directory.test",
          "auth": { "kind": "api_key", "inject": { "header": "X-Api-Key", "value": "{api_key}" } },
          "responses": [
            { "when": { "status": [401], "body": "error.code = 'E_REVOKED'" }, "action": "needs_reauth", "description": "revoked: a person must reconnect" },
            { "when": { "status": [401] }, "action": "fail", "description": "an unknown key is a configuration error, not a revocation" }
          ],
          "error_mapping": "{ 'title': error.message, 'detail': 'The directory answered ' & $string($status) & ': ' & error.message, 'code': error.code }",
          "resources": {
            "people": {
              "model": "crm.contact",
              "operations": {
                "list": {
                  "method": "GET",
                  "path": "/v1/people",
                  "records": "data",
                  "pagination": { "strategy": "page_number", "page_param": { "query": "page" }, "stop_when": "body.next_page = null" },
                  "filters": { "email": {}, "modifiedAfter": { "type": "date-time" }, "since": { "description": "raw text, to meet the provider's own validation" } },
                  "query_mapping": "{ 'query': { 'email': email, 'updated_after': modifiedAfter ? modifiedAfter : since ? since : $parameters.modified_since } }",
                  "pre_steps": [ { "name": "fields", "path": "/v1/fields", "result": "fields" } ],
                  "post_steps": [ { "name": "tags", "path": "/v1/tags", "query": { "ids": "{ids}" }, "parameters": "{ 'ids': $join(records.id, ',') }", "result": "tags" } ],
                  "response_mapping": "{ 'id': id, 'email': email, 'last_name': family, 'custom_fields': { 'tags': $lookup($steps.tags, id), 'fields': $count($steps.fields) } }"
                },
                "get": {
                  "method": "GET",
                  "path": "/v1/people/{id}",
                  "post_steps": [ { "name": "tags", "path": "/v1/tags", "query": { "ids": "{id}" }, "result": "tags" } ],
                  "response_mapping": "{ 'id': id, 'email': email, 'custom_fields': { 'tags': $lookup($steps.tags, id) } }"
                }
              }
            },
            "search": {
              "model": "crm.contact",
              "operations": {
                "list": {
                  "method": "POST",
                  "path": "/v1/people/search",
                  "body": { "kind": "person", "where": { "active": true } },
                  "records": "data",
                  "filters": { "email": {} },
                  "query_mapping": "{ 'body': { 'where': { 'contact': { 'email': email } } } }",
                  "responses": [
            { "when": { "status": [401], "body": "error.code = 'E_REVOKED'" }, "action": "needs_reauth", "description": "revoked: a person must reconnect" },
            { "when": { "status": [401] }, "action": "fail", "description": "an unknown key is a configuration error, not a revocation" }
          ],
          "error_mapping": "{ 'code': 'search:' & error.code }",
                  "response_mapping": "{ 'id': id, 'email': email }"
                }
              }
            }
          }
        }
        """;

    public static JsonObject Json() => JsonNode.Parse(Document)!.AsObject();
}
