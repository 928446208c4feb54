namespace IntegrationHealth.Jsonata.Tests.Differential;

// The "arguments" family: every built-in function called with well-formed arguments except one, which is replaced by
// an awkward value (undefined, null, an empty array or object, a wrong type, an extreme number), or with an argument
// too few or too many. This is where ports crash instead of returning undefined or raising T0410.
public sealed partial class ExpressionGenerator
{
    private static readonly (string Name, string[] Arguments)[] BuiltIns =
    [
        ("$substring", ["'abcdef'", "1", "3"]), ("$substringBefore", ["'a@b'", "'@'"]), ("$substringAfter", ["'a@b'", "'@'"]),
        ("$uppercase", ["'abc'"]), ("$lowercase", ["'ABC'"]), ("$trim", ["' a  b '"]), ("$pad", ["'ab'", "5", "'*'"]),
        ("$contains", ["'abc'", "'b'"]), ("$split", ["'a,b,c'", "','", "2"]), ("$join", ["['a', 'b']", "'-'"]),
        ("$replace", ["'abcb'", "'b'", "'x'", "1"]), ("$match", ["'abcb'", "/b/", "1"]), ("$length", ["'abc'"]),
        ("$string", ["1.5", "true"]), ("$number", ["'12'"]), ("$abs", ["-1"]), ("$floor", ["1.5"]), ("$ceil", ["1.5"]),
        ("$round", ["1.555", "2"]), ("$power", ["2", "3"]), ("$sqrt", ["4"]), ("$formatNumber", ["1234.5", "'#,##0.0'"]),
        ("$formatBase", ["255", "16"]), ("$formatInteger", ["12", "'w'"]), ("$parseInteger", ["'12'", "'0'"]),
        ("$sum", ["[1, 2]"]), ("$max", ["[1, 2]"]), ("$min", ["[1, 2]"]), ("$average", ["[1, 2]"]), ("$count", ["[1, 2]"]),
        ("$append", ["[1]", "[2]"]), ("$reverse", ["[1, 2]"]), ("$sort", ["[2, 1]"]), ("$distinct", ["[1, 1]"]), ("$zip", ["[1, 2]", "[3]"]),
        ("$keys", ["{'a': 1}"]), ("$lookup", ["{'a': 1}", "'a'"]), ("$spread", ["{'a': 1}"]), ("$merge", ["[{'a': 1}, {'b': 2}]"]),
        ("$each", ["{'a': 1}", "function($v, $k){ $k }"]), ("$sift", ["{'a': 1}", "function($v){ true }"]),
        ("$map", ["[1, 2]", "function($v){ $v }"]), ("$filter", ["[1, 2]", "function($v){ true }"]),
        ("$reduce", ["[1, 2]", "function($a, $b){ $a + $b }", "0"]), ("$single", ["[1]", "function($v){ true }"]),
        ("$type", ["1"]), ("$exists", ["1"]), ("$boolean", ["1"]), ("$not", ["true"]),
        ("$base64encode", ["'a'"]), ("$base64decode", ["'YQ=='"]), ("$encodeUrlComponent", ["'a b'"]), ("$encodeUrl", ["'a b'"]),
        ("$decodeUrlComponent", ["'a%20b'"]), ("$decodeUrl", ["'a%20b'"]),
        ("$toMillis", ["'2026-01-01'", "'[Y0001]-[M01]-[D01]'"]), ("$fromMillis", ["0", "'[Y0001]'", "'+0100'"]),
        ("$eval", ["'1 + 1'"]), ("$assert", ["true", "'message'"]),
    ];

    private static readonly string[] AwkwardValues =
        ["missing", "null", "[]", "{}", "''", "0", "-1", "1e300", "-0.5", "'x'", "true", "[1, 'a']", "[missing]", "[[1]]", "function($x){ $x }", "$uppercase"];

    private string Arguments(Vocabulary v)
    {
        var (name, arguments) = Pick(BuiltIns);
        var args = arguments.ToList();
        switch (random.Next(10))
        {
            case 0 when args.Count > 0:
                args.RemoveAt(args.Count - 1); // one too few
                break;
            case 1:
                args.Add(Pick(AwkwardValues)); // one too many
                break;
            case 2:
                // A real field in an argument position: a sequence, a missing value or a mismatched type.
                var c = PickCollection(v);
                args[random.Next(args.Count)] = $"{c.Path}.{Any(c.Fields)}";
                break;
            default:
                args[random.Next(args.Count)] = Pick(AwkwardValues);
                break;
        }

        for (var i = 0; i < args.Count; i++)
        {
            // jsonata-js hands a function's internal JavaScript object to these (e.g. $spread($uppercase) lists its
            // private fields), and V8's Math.pow is not correctly rounded for fractional exponents: platform artefacts.
            if (name is "$spread" or "$zip" or "$append" or "$reverse" or "$keys" or "$lookup" or "$merge" or "$each" or "$sift"
                && (args[i].StartsWith("function", StringComparison.Ordinal) || args[i] == "$uppercase"))
            {
                args[i] = "null";
            }

            if (name == "$power" && args[i] == "-0.5") args[i] = "-1";
        }

        var call = $"{name}({string.Join(", ", args)})";
        // Also as the right-hand side of ~>, where the first argument comes from the left.
        return args.Count > 0 && Chance(0.2) ? $"{args[0]} ~> {name}({string.Join(", ", args.Skip(1))})" : call;
    }
}
