using System.Text.Json;

namespace IntegrationHealth.Jsonata.Tests.Formatting;

/// <summary>One official conformance case, as stored in <c>jsonata-suite/groups</c>.</summary>
public sealed record SuiteCase(string Id, string Expression, JsonElement Definition)
{
    /// <summary>The error code the case expects (<c>code</c>, or <c>error.code</c>), if any.</summary>
    public string? ExpectedCode =>
        Definition.TryGetProperty("code", out var code) ? code.GetString()
        : Definition.TryGetProperty("error", out var error) && error.TryGetProperty("code", out var nested) ? nested.GetString()
        : null;

    public bool ExpectsUndefined => Definition.TryGetProperty("undefinedResult", out var flag) && flag.GetBoolean();

    public JsonElement? ExpectedResult => Definition.TryGetProperty("result", out var result) ? result : null;
}

/// <summary>
/// The cases of the JSONata conformance suite (located by <see cref="Conformance.ConformanceSuite"/>) whose expression
/// mentions a formatting function.
/// </summary>
public static class FormattingSuite
{
    private static readonly string[] FunctionNames = ["$formatNumber", "$formatInteger", "$parseInteger", "$fromMillis", "$toMillis"];

    private static readonly Lazy<IReadOnlyList<SuiteCase>> AllCases = new(Load);

    /// <summary>The suite folder, or null when it cannot be found.</summary>
    public static string? Directory => Conformance.ConformanceSuite.Root;

    /// <summary>Every case (array files expanded) whose expression calls one of the formatting functions.</summary>
    public static IReadOnlyList<SuiteCase> Cases => AllCases.Value;

    private static IReadOnlyList<SuiteCase> Load()
    {
        if (Directory is null)
        {
            return [];
        }

        var cases = new List<SuiteCase>();
        var groups = Path.Combine(Directory, "groups");
        foreach (var file in System.IO.Directory.EnumerateFiles(groups, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var root = document.RootElement;
            var definitions = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToArray() : [root];
            for (var i = 0; i < definitions.Length; i++)
            {
                var definition = definitions[i];
                // Raw text first: a few unrelated cases hold lone surrogates that GetString rejects.
                var expression = definition.TryGetProperty("expr", out var expr)
                    ? FunctionNames.Any(name => expr.GetRawText().Contains(name, StringComparison.Ordinal)) ? expr.GetString() : null
                    : definition.TryGetProperty("expr-file", out var exprFile)
                        ? File.ReadAllText(Path.Combine(Path.GetDirectoryName(file)!, exprFile.GetString()!))
                        : null;
                if (expression is not null && FunctionNames.Any(name => expression.Contains(name, StringComparison.Ordinal)))
                {
                    var id = Path.GetRelativePath(groups, file).Replace('\\', '/') + "#" + i;
                    cases.Add(new SuiteCase(id, expression, definition.Clone()));
                }
            }
        }

        return cases;
    }
}
