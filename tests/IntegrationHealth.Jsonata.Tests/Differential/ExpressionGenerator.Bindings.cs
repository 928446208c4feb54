using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Tests.Differential;

// The family that exercises the API around the language: variable bindings, host functions with signatures,
// evaluation without input and with a JSON null input.
public sealed partial class ExpressionGenerator
{
    private Generated BindingsAndInputs(Vocabulary v)
    {
        var c = PickCollection(v);
        var bindings = new JsonObject
        {
            ["threshold"] = random.Next(0, 100),
            ["tiers"] = new JsonArray("Gold", "Platinum"),
            ["config"] = new JsonObject { ["currency"] = "EUR", ["rate"] = Pick([1.1, 0.5, 2.0]), ["labels"] = new JsonObject { ["paid"] = "Bezahlt" } },
            ["name"] = Pick(["Acme", "Zoë GmbH", ""]),
            ["nothing"] = null,
        };
        switch (random.Next(4))
        {
            case 0:
                return new Generated(random.Next(10) switch
                {
                    0 => $"{c.Path}[{Num(c.Fields)} > $threshold].{Any(c.Fields)}",
                    1 => $"{c.Path}[{Str(c.Fields)} in $tiers].{Any(c.Fields)}",
                    2 => $"$sum({c.Path}.{Num(c.Fields)}) * $config.rate",
                    3 => $"$name & ': ' & $string($count({c.Path}))",
                    4 => OneOf("$nothing = null", "$exists($nothing)", "$type($nothing)", "$nothing ? 'yes' : 'no'", "[$nothing]"),
                    5 => "($threshold := $threshold + 1; $threshold)",
                    6 => $"$lookup($config.labels, {Quote(OneOf("paid", "open"))})",
                    7 => "$missingBinding",
                    8 => "$config.rate * $threshold",
                    _ => $"$map($tiers, function($t){{ $t & '@' & $name }})",
                }, Bindings: bindings);
            case 1:
                return new Generated(random.Next(8) switch
                {
                    0 => $"$hostDouble({OneOf("21", "0.5", "-3", "'a'", "null", "[2]")})",
                    1 => $"{c.Path}.$hostDouble({Num(c.Fields)})",
                    2 => $"$hostGreet({OneOf("'Zoë'", "''", "1", "$string(2)")})",
                    3 => $"{c.Path}.$hostGreet({StrExpr(c.Fields)})",
                    4 => "$map([1, 2, 3], $hostDouble)",
                    5 => "$hostDouble()",
                    6 => "$hostGreet('a', 'b')",
                    _ => $"$hostDouble($count({c.Path})) ~> $hostDouble",
                }, UsesHostFunctions: true);
            default:
                var input = Chance(0.5) ? CaseInput.None : CaseInput.JsonNull;
                return new Generated(OneOf("$", "$exists($)", "$count($)", "$type($)", "$$", "[$]", "{'a': $}", "$ = null", "$sum([1..5])",
                    "$string($)", "$.a", "$boolean($)", "$not($)", "$map([1, 2], function($v){ $v + 1 })", "($x := 3; $x * $x)", "a.b.c",
                    "$ ? 'truthy' : 'falsy'", "*", "**", "$keys($)", "$append($, 1)", "[1, 2][$]"), input);
        }
    }
}
