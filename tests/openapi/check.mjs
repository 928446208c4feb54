// Independent checks of the API's OpenAPI document, run by the .NET test OpenApiConformanceTests:
//   node check.mjs <document.json> [<exchanges.json>]
// 1. The document is valid against the official OpenAPI schema for its version (@seriousme/openapi-schema-validator).
// 2. Each recorded exchange (a real request and response from the running API) matches the document: its path and
//    method are documented, its status is a documented response, the response body's media type is documented and the
//    body validates against that schema, and, for successful requests, the request body validates against the request
//    schema (JSON Schema 2020-12 via Ajv, as OpenAPI 3.1 specifies).
// Prints every problem and exits 1 when there is any.
import { readFile } from "node:fs/promises";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [documentPath, exchangesPath] = process.argv.slice(2);
if (!documentPath) {
  console.error("usage: node check.mjs <document.json> [<exchanges.json>]");
  process.exit(2);
}

const problems = [];
const validator = new Validator();
const result = await validator.validate(documentPath);
if (!result.valid) {
  problems.push(`document: not a valid OpenAPI ${validator.version ?? ""} document: ${JSON.stringify(result.errors, null, 1)}`);
}
const document = JSON.parse(await readFile(documentPath, "utf8"));

if (exchangesPath) {
  const exchanges = JSON.parse(await readFile(exchangesPath, "utf8"));
  const componentsId = "urn:integrationhealth:components";
  // Component references become references into one registered schema resource, so every schema compiles on its own.
  const rewrite = (schema) =>
    JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${componentsId}#/$defs/`));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: componentsId, $defs: rewrite(document.components?.schemas ?? {}) });

  const templates = Object.keys(document.paths ?? {}).map((template) => ({
    template,
    pattern: new RegExp("^" + template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+") + "$"),
  }));
  const mediaType = (value) => (value ?? "").split(";")[0].trim().toLowerCase();

  exchanges.forEach((exchange, index) => {
    const label = `#${index} ${exchange.method} ${exchange.path} -> ${exchange.status}`;
    const path = exchange.path.split("?")[0];
    const matches = templates.filter((t) => t.pattern.test(path));
    // A literal template (/v1/keys) wins over a parameterised one (/v1/keys/{id}) for the same path.
    const match = matches.sort((a, b) => (a.template.match(/\{/g) ?? []).length - (b.template.match(/\{/g) ?? []).length)[0];
    if (!match) return problems.push(`${label}: path not in the document`);
    const operation = document.paths[match.template][exchange.method.toLowerCase()];
    if (!operation) return problems.push(`${label}: method not documented for ${match.template}`);
    const response = operation.responses?.[String(exchange.status)] ?? operation.responses?.default;
    if (!response) {
      return problems.push(`${label}: status not documented (documented: ${Object.keys(operation.responses ?? {}).join(", ")})`);
    }
    if (exchange.responseBody !== undefined && exchange.responseBody !== null) {
      const type = mediaType(exchange.responseContentType);
      const content = response.content?.[type];
      if (!content) {
        problems.push(`${label}: response media type '${type}' not documented (documented: ${Object.keys(response.content ?? {}).join(", ") || "none"})`);
      } else if (content.schema && !ajv.validate(rewrite(content.schema), exchange.responseBody)) {
        problems.push(`${label}: response body does not match its schema: ${ajv.errorsText(ajv.errors)}`);
      }
    }
    if (exchange.status < 300 && exchange.requestBody !== undefined && exchange.requestBody !== null) {
      const type = mediaType(exchange.requestContentType);
      const content = operation.requestBody?.content?.[type];
      if (!content) {
        problems.push(`${label}: request media type '${type}' not documented`);
      } else if (content.schema && !ajv.validate(rewrite(content.schema), exchange.requestBody)) {
        problems.push(`${label}: request body does not match its schema: ${ajv.errorsText(ajv.errors)}`);
      }
    }
  });
  console.log(`checked ${exchanges.length} exchanges`);
}

for (const problem of problems) console.log(problem);
process.exit(problems.length === 0 ? 0 : 1);
