using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Tests.Conformance;

/// <summary>One conformance case and the logic to run it against the engine's public API.</summary>
public sealed class ConformanceCase(string id, string group, string groupDirectory, JsonObject definition)
{
    public string Id { get; } = id;

    public string Group { get; } = group;

    public JsonObject Definition { get; } = definition;

    public string Expression => Definition["expr"] is { } expr
        ? expr.GetValue<string>()
        : File.ReadAllText(Path.Combine(groupDirectory, Definition["expr-file"]!.GetValue<string>()));

    /// <summary>Runs the case; returns null when it passes, otherwise a description of the mismatch.</summary>
    public string? Run()
    {
        var options = new JsonataOptions { Timeout = TimeSpan.FromSeconds(30) };
        if (Definition["timelimit"] is { } timelimit && Definition["depth"] is { } depth)
        {
            options = options with
            {
                Timeout = TimeSpan.FromMilliseconds(timelimit.GetValue<double>()),
                MaxDepth = (int)depth.GetValue<double>(),
            };
        }

        JsonataResult result;
        try
        {
            var expression = JsonataExpression.Compile(Expression);
            var bindings = new JsonataBindings();
            if (Definition["bindings"] is JsonObject bound)
            {
                foreach (var pair in bound)
                {
                    bindings.Add(pair.Key, pair.Value?.DeepClone());
                }
            }

            if (Definition.ContainsKey("data"))
            {
                result = expression.Evaluate(Definition["data"]?.DeepClone(), bindings, options);
            }
            else if (Definition["dataset"] is { } dataset)
            {
                result = expression.Evaluate(ConformanceSuite.Dataset(dataset.GetValue<string>()), bindings, options);
            }
            else
            {
                result = expression.EvaluateWithoutInput(bindings, options);
            }
        }
        catch (JsonataException ex)
        {
            return CheckError(ex);
        }

        if (Definition["code"] is { } code)
        {
            return $"expected error {code} but got {result.ToJsonString() ?? "undefined"}";
        }

        if (Definition["error"] is { } error)
        {
            return $"expected error {error.ToJsonString()} but got {result.ToJsonString() ?? "undefined"}";
        }

        if (Definition["undefinedResult"] is not null)
        {
            return result.IsUndefined ? null : $"expected undefined but got {result.ToJsonString()}";
        }

        if (!Definition.ContainsKey("result"))
        {
            return "case has no expected outcome";
        }

        if (result.IsUndefined)
        {
            return $"expected {Definition["result"]?.ToJsonString() ?? "null"} but got undefined";
        }

        var unordered = Definition["unordered"]?.GetValue<bool>() == true;
        return JsonDeepEquality.AreEqual(Definition["result"], result.Value, unordered)
            ? null
            : $"expected {Definition["result"]?.ToJsonString() ?? "null"} but got {result.ToJsonString()}";
    }

    private string? CheckError(JsonataException ex)
    {
        var actual = $"{ex.Code} (token {ex.Token ?? "-"}, position {ex.Position}): {ex.Message}";
        if (Definition["code"] is { } code)
        {
            if (ex.Code != code.GetValue<string>())
            {
                return $"expected error {code} but got {actual}";
            }

            if (Definition["token"] is { } token && ex.Token != token.GetValue<string>())
            {
                return $"expected token {token} but got {actual}";
            }

            return null;
        }

        if (Definition["error"] is JsonObject error)
        {
            foreach (var pair in error)
            {
                var matches = pair.Key switch
                {
                    "code" => ex.Code == pair.Value?.GetValue<string>(),
                    "message" => ex.Message == pair.Value?.GetValue<string>(),
                    "token" => ex.Token == pair.Value?.GetValue<string>(),
                    "position" => ex.Position == pair.Value?.GetValue<double>(),
                    _ => true,
                };
                if (!matches)
                {
                    return $"expected error {error.ToJsonString()} but got {actual}";
                }
            }

            return null;
        }

        return $"unexpected error {actual}";
    }
}

/// <summary>Deep equality as the upstream runner applies it: exact numbers (-0 differs from 0), key order ignored.</summary>
public static class JsonDeepEquality
{
    public static bool AreEqual(JsonNode? expected, JsonNode? actual, bool unorderedTopLevel = false)
    {
        switch (expected)
        {
            case null:
                return actual is null;
            case JsonObject eo:
            {
                if (actual is not JsonObject ao || eo.Count != ao.Count)
                {
                    return false;
                }

                foreach (var pair in eo)
                {
                    if (!ao.TryGetPropertyValue(pair.Key, out var other) || !AreEqual(pair.Value, other))
                    {
                        return false;
                    }
                }

                return true;
            }

            case JsonArray ea:
            {
                if (actual is not JsonArray aa || ea.Count != aa.Count)
                {
                    return false;
                }

                if (!unorderedTopLevel)
                {
                    for (var i = 0; i < ea.Count; i++)
                    {
                        if (!AreEqual(ea[i], aa[i]))
                        {
                            return false;
                        }
                    }

                    return true;
                }

                var remaining = aa.ToList();
                foreach (var item in ea)
                {
                    var index = remaining.FindIndex(candidate => AreEqual(item, candidate));
                    if (index < 0)
                    {
                        return false;
                    }

                    remaining.RemoveAt(index);
                }

                return true;
            }

            default:
            {
                if (actual is not JsonValue av)
                {
                    return false;
                }

                var ev = (JsonValue)expected;
                var kind = ev.GetValueKind();
                if (kind != av.GetValueKind())
                {
                    return false;
                }

                return kind switch
                {
                    JsonValueKind.Number => NumbersEqual(ev.GetValue<double>(), av.GetValue<double>()),
                    JsonValueKind.String => ev.GetValue<string>() == av.GetValue<string>(),
                    _ => true,
                };
            }
        }
    }

    private static bool NumbersEqual(double expected, double actual) =>
        expected == actual && (expected != 0 || double.IsNegative(expected) == double.IsNegative(actual));
}
