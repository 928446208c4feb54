using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHealth.Engine.Models;
using IntegrationHealth.Engine.Responses;
using IntegrationHealth.Jsonata;
using static IntegrationHealth.Engine.Definitions.JsonPathText;

namespace IntegrationHealth.Engine.Definitions;

/// <summary>
/// The checks a schema cannot make: every JSONata expression compiles (refused with its code and position), every
/// template names only values that exist, templated URLs come out absolute, models exist, body paths go only where
/// there is a body. Collects every problem rather than stopping at the first, and the compiled expressions.
/// </summary>
internal sealed class DefinitionSemantics(UnifiedModelCatalog models)
{
    private readonly List<DefinitionError> _errors = [];
    private readonly Dictionary<string, JsonataExpression> _expressions = new(StringComparer.Ordinal);

    public IReadOnlyList<DefinitionError> Errors => _errors;
    public IReadOnlyDictionary<string, JsonataExpression> Expressions => _expressions;

    public void Check(ProviderDefinition definition)
    {
        var connectionValues = definition.ConnectionValues.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in definition.ConnectionValues)
        {
            if (value.Pattern is { } pattern && !IsRegex(pattern))
                Add(Member(Member(Member(Root, "connection_values"), name), "pattern"), $"'{pattern}' is not a valid regular expression.");
        }
        CheckUrl(Member(Root, "base_url"), definition.BaseUrl, connectionValues, definition);
        foreach (var (header, value) in definition.Headers)
            CheckNames(Member(Member(Root, "headers"), header), value, connectionValues, "connection value");

        CheckAuth(Member(Root, "auth"), definition.Auth, connectionValues, definition);
        CheckRules(Member(Root, "responses"), definition.Responses);
        CheckBudget(definition.RateLimit);
        if (definition.ErrorMapping is { } errorMapping) Compile(Member(Root, "error_mapping"), errorMapping);

        foreach (var (resourceName, resource) in definition.Resources)
        {
            var resourcePath = Member(Member(Root, "resources"), resourceName);
            if (resource.Model is { } model && !models.Contains(model))
                Add(Member(resourcePath, "model"), $"Unknown unified model '{model}'. Known: {string.Join(", ", models.Names)}.");
            foreach (var (verb, operation) in resource.Operations)
                CheckOperation(Member(Member(resourcePath, "operations"), verb), operation, resource);
            if (resource.Sync is { } sync)
            {
                if (sync.DeletedWhen is { } deleted) Compile(Member(Member(resourcePath, "sync"), "deleted_when"), deleted);
                if (!resource.Operations.ContainsKey("list")) Add(Member(resourcePath, "sync"), "A synced resource needs a 'list' operation.");
            }
        }
    }

    private void CheckAuth(string path, AuthDefinition auth, HashSet<string> connectionValues, ProviderDefinition definition)
    {
        var fields = AuthKinds.FieldsOf(auth.Kind).Concat(auth.CredentialFields).ToHashSet(StringComparer.Ordinal);
        if (auth.Inject is { } inject) CheckNames(Member(Member(path, "inject"), "value"), inject.Value, fields, "credential field");
        if (auth.Username is { } user) CheckNames(Member(path, "username"), user, fields, "credential field");
        if (auth.Password is { } password) CheckNames(Member(path, "password"), password, fields, "credential field");
        if (auth.AuthorizeUrl is { } authorize) CheckUrl(Member(path, "authorize_url"), authorize, connectionValues, definition);
        if (auth.TokenUrl is { } token) CheckUrl(Member(path, "token_url"), token, connectionValues, definition);
        if (AuthKinds.UsesTokenEndpoint(auth.Kind))
        {
            var response = Member(path, "token_response");
            Compile(Member(response, "access_token"), auth.TokenResponse.AccessToken);
            Compile(Member(response, "refresh_token"), auth.TokenResponse.RefreshToken);
            Compile(Member(response, "expires_in"), auth.TokenResponse.ExpiresIn);
        }
    }

    /// <summary>Header pacing reads the mapped remaining and reset headers: without them it could never act.</summary>
    private void CheckBudget(RateLimitDefinition? rateLimit)
    {
        if (rateLimit?.Budget is not { MinRemaining: not null }) return;
        var path = Member(Member(Member(Root, "rate_limit"), "budget"), "min_remaining");
        if (rateLimit.Remaining is null) Add(path, "'min_remaining' needs rate_limit.remaining: the header it is compared with.");
        if (rateLimit.Reset is null) Add(path, "'min_remaining' needs rate_limit.reset: the header saying how long to pause.");
    }

    private void CheckOperation(string path, OperationDefinition operation, ResourceDefinition resource)
    {
        CheckWrite(path, operation, resource);
        if (operation.Records is { } records) Compile(Member(path, "records"), records);
        if (operation.ResponseMapping is { } mapping)
        {
            Compile(Member(path, "response_mapping"), mapping);
            if (resource.Model is null) Add(Member(path, "response_mapping"), "A response mapping needs the resource's 'model'.");
        }
        CheckRules(Member(path, "responses"), operation.Responses);
        var stepNames = new HashSet<string>(StringComparer.Ordinal);
        CheckSteps(Member(path, "pre_steps"), operation.PreSteps, stepNames, post: false);
        CheckSteps(Member(path, "post_steps"), operation.PostSteps, stepNames, post: true);
        if (operation.ErrorMapping is { } errorMapping) Compile(Member(path, "error_mapping"), errorMapping);
        CheckQueryMapping(path, operation);
        if (operation.Body is { } body && operation.Method == "GET")
            Add(Member(path, "body"), "A GET operation cannot send a body.");
        if (operation.Body is { ValueKind: not JsonValueKind.Object } && operation.Pagination is { } p && UsesBodyPath(p))
            Add(Member(path, "body"), "Pagination sets fields in the body, so the body must be a JSON object.");

        if (operation.Pagination is not { } pagination) return;
        var pagePath = Member(path, "pagination");
        if (pagination.StopWhen is { } stop) Compile(Member(pagePath, "stop_when"), stop);
        if (pagination.CursorFrom?.Body is { } cursor) Compile(Member(Member(pagePath, "cursor_from"), "body"), cursor);
        if (pagination.NextUrlFrom?.Body is { } next) Compile(Member(Member(pagePath, "next_url_from"), "body"), next);
        if (pagination.PageSizeParam is not null && pagination.PageSize is null)
            Add(Member(pagePath, "page_size"), "'page_size_param' is given, so 'page_size' is required.");
        if (pagination.ShortPageIsLast && pagination.PageSize is null)
            Add(Member(pagePath, "page_size"), "'short_page_is_last' needs 'page_size' to know what a short page is.");
        if (UsesBodyPath(pagination) && operation.Method == "GET")
            Add(pagePath, "A GET operation has no body to carry a 'body_path' value; use 'query' or 'header'.");
        if (operation.Records is null && pagination.Strategy != "none")
            Add(Member(path, "records"), "A paginated operation must say where its records are ('$' for a top-level array).");
    }

    /// <summary>Step names are one namespace (<c>$steps</c>) across pre- and post-steps; only a post-step has a main
    /// response to take <c>parameters</c> from.</summary>
    private void CheckSteps(string path, IReadOnlyList<StepDefinition> steps, HashSet<string> names, bool post)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var stepPath = Index(path, i);
            if (!names.Add(step.Name)) Add(Member(stepPath, "name"), $"Another step is already named '{step.Name}'.");
            if (step.Result is { } result) Compile(Member(stepPath, "result"), result);
            if (step.Parameters is { } parameters)
            {
                if (post) Compile(Member(stepPath, "parameters"), parameters);
                else Add(Member(stepPath, "parameters"), "Only a post-step has a main response to take parameters from.");
            }
        }
    }

    /// <summary>Filters belong to listings and are only meaningful through a query mapping.</summary>
    private void CheckQueryMapping(string path, OperationDefinition operation)
    {
        var verb = path[(path.LastIndexOf('.') + 1)..];
        if (operation.QueryMapping is { } mapping)
        {
            Compile(Member(path, "query_mapping"), mapping);
            if (verb != "list") Add(Member(path, "query_mapping"), "Only a list operation takes filters.");
        }
        if (operation.Filters.Count > 0 && operation.QueryMapping is null)
            Add(Member(path, "filters"), "Filters need a 'query_mapping' to reach the provider.");
        if (operation.Filters.Count > 0 && verb != "list")
            Add(Member(path, "filters"), "Only a list operation takes filters.");
        if (operation.QueryMapping is not null && operation.Body is { ValueKind: not JsonValueKind.Object } && operation.Method != "GET")
            Add(Member(path, "body"), "The query mapping may set fields in the body, so the body must be a JSON object.");
    }

    /// <summary>What the unified API needs of each verb: an <c>{id}</c> in the path of get, update and delete; a body
    /// (mapped or fixed) on create and update, and none on delete or get.</summary>
    private void CheckWrite(string path, OperationDefinition operation, ResourceDefinition resource)
    {
        var verb = path[(path.LastIndexOf('.') + 1)..];
        if (operation.RequestMapping is { } mapping)
        {
            Compile(Member(path, "request_mapping"), mapping);
            if (verb is not ("create" or "update"))
                Add(Member(path, "request_mapping"), "Only create and update operations send a mapped request body.");
            if (operation.Method is "GET" or "DELETE")
                Add(Member(path, "request_mapping"), $"A {operation.Method} operation cannot send a body.");
            if (operation.Body is not null)
                Add(Member(path, "body"), "Give 'body' or 'request_mapping', not both.");
            if (resource.Model is null) Add(Member(path, "request_mapping"), "A request mapping needs the resource's 'model'.");
        }
        if (verb is "get" or "update" or "delete" && !PlaceholderTemplate.Parse(operation.Path).Names.Contains("id"))
            Add(Member(path, "path"), $"A {verb} operation addresses one record, so its path must name '{{id}}'.");
        if (verb is "create" or "update" && operation.RequestMapping is null && operation.Body is null)
            Add(Member(path, "request_mapping"), $"A {verb} operation needs a 'request_mapping' (or a fixed 'body').");
        if (verb is "create" or "update" && operation.Method is "GET" or "DELETE")
            Add(Member(path, "method"), $"A {verb} operation sends a body, so its method is POST, PUT or PATCH.");
        if (verb == "delete" && operation.Body is not null)
            Add(Member(path, "body"), "A delete operation sends no body.");
    }

    private static bool UsesBodyPath(PaginationDefinition p) =>
        p.CursorTo?.BodyPath is not null || p.OffsetParam?.BodyPath is not null || p.PageParam?.BodyPath is not null
        || p.PageSizeParam?.BodyPath is not null;

    private void CheckRules(string path, IReadOnlyList<ResponseRuleDefinition> rules)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var rulePath = Index(path, i);
            if (rule.When.Body is { } body) Compile(Member(Member(rulePath, "when"), "body"), body);
            if (rule.Wait is not null && rule.Action != ResponseActions.RateLimited)
                Add(Member(rulePath, "wait"), "'wait' applies only to the 'rate_limited' action.");
        }
    }

    private void CheckUrl(string path, string template, HashSet<string> connectionValues, ProviderDefinition definition)
    {
        var parsed = PlaceholderTemplate.Parse(template);
        if (!CheckNames(path, template, connectionValues, "connection value")) return;
        // Render with each value's default, or a plausible host label, to see that the result is a usable URL.
        // A value the template starts with is a whole origin (an instance URL), so its sample is one.
        var sample = parsed.Render(name => definition.ConnectionValues[name].Default
            ?? (template.StartsWith("{" + name + "}", StringComparison.Ordinal) ? "https://sample.example" : "sample"));
        if (!Uri.TryCreate(sample, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            Add(path, $"'{template}' does not give an absolute http(s) URL.");
    }

    /// <summary>Reports each placeholder of <paramref name="template"/> that is not in <paramref name="known"/>.</summary>
    private bool CheckNames(string path, string template, HashSet<string> known, string what)
    {
        var ok = true;
        foreach (var name in PlaceholderTemplate.Parse(template).Names.Where(n => !known.Contains(n)))
        {
            var choices = known.Count == 0 ? "none are declared" : "known: " + string.Join(", ", known.Order(StringComparer.Ordinal));
            Add(path, $"'{{{name}}}' is not a {what} ({choices}).");
            ok = false;
        }
        return ok;
    }

    private void Compile(string path, string source)
    {
        if (_expressions.ContainsKey(source)) return;
        try
        {
            _expressions[source] = JsonataExpression.Compile(source);
        }
        catch (JsonataException e)
        {
            _errors.Add(new DefinitionError(path, $"Invalid JSONata: {e.Message}", e.Code, e.Position));
        }
    }

    private void Add(string path, string message) => _errors.Add(new DefinitionError(path, message));

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
