namespace IntegrationHealth.Jsonata.Tests.Differential;

// The "composed" family: random expression trees from a small typed grammar (number, string, boolean, array, object
// expressions nested up to a depth), so operators, functions and paths meet in combinations no template lists:
// precedence, singleton sequences inside function arguments, undefined flowing through operators.
public sealed partial class ExpressionGenerator
{
    private const int ComposedDepth = 3;

    private string Composed(Vocabulary v) => random.Next(5) switch
    {
        0 => NumberTree(v, 0),
        1 => StringTree(v, 0),
        2 => BooleanTree(v, 0),
        3 => ArrayTree(v, 0),
        _ => ObjectTree(v, 0),
    };

    private string NumberTree(Vocabulary v, int depth)
    {
        if (depth >= ComposedDepth || Chance(0.25)) return Chance(0.5) ? NumLit() : Num(v.Root);
        var d = depth + 1;
        return random.Next(14) switch
        {
            0 => $"{NumberTree(v, d)} {OneOf("+", "-", "*", "/", "%")} {NumberTree(v, d)}",
            1 => $"-{NumberTree(v, d)}",
            2 => $"{OneOf("$sum", "$max", "$min", "$average", "$count")}({ArrayTree(v, d)})",
            3 => $"$length({StringTree(v, d)})",
            4 => $"{OneOf("$abs", "$floor", "$ceil", "$sqrt")}({NumberTree(v, d)})",
            5 => $"$round({NumberTree(v, d)}, {random.Next(-1, 3)})",
            6 => $"$number({StringTree(v, d)})",
            7 => $"{BooleanTree(v, d)} ? {NumberTree(v, d)} : {NumberTree(v, d)}",
            8 => $"($n := {NumberTree(v, d)}; $n * $n)",
            9 => $"$reduce({ArrayTree(v, d)}, function($a, $b){{ $a + $b }})",
            10 => $"({NumberTree(v, d)})",
            // Integer exponents only: V8's Math.pow is not correctly rounded for fractional ones (a platform artefact).
            11 => $"$power({NumberTree(v, d)}, {OneOf("2", "3", "-1")})",
            12 => $"{ArrayTree(v, d)}[{random.Next(-2, 3)}]",
            _ => $"$count({Any(v.Root)})",
        };
    }

    private string StringTree(Vocabulary v, int depth)
    {
        if (depth >= ComposedDepth || Chance(0.25)) return Chance(0.5) ? StrLit() : Str(v.Root);
        var d = depth + 1;
        return random.Next(14) switch
        {
            0 => $"{StringTree(v, d)} & {StringTree(v, d)}",
            1 => $"{StringTree(v, d)} & {NumberTree(v, d)}",
            2 => $"{OneOf("$uppercase", "$lowercase", "$trim")}({StringTree(v, d)})",
            3 => $"$substring({StringTree(v, d)}, {NumberTree(v, d)}{(Chance(0.5) ? ", " + SmallInt() : "")})",
            4 => $"$string({OneOf(NumberTree(v, d), ArrayTree(v, d), ObjectTree(v, d), BooleanTree(v, d))})",
            5 => $"$join({ArrayTree(v, d)}, {Quote(OneOf(",", " ", ""))})",
            6 => $"$pad({StringTree(v, d)}, {random.Next(-8, 8)}, {Quote(OneOf("*", "é"))})",
            7 => $"$replace({StringTree(v, d)}, {Quote(OneOf("a", "e", " "))}, {StringTree(v, d)})",
            8 => $"{BooleanTree(v, d)} ? {StringTree(v, d)} : {StringTree(v, d)}",
            9 => $"$formatNumber({NumberTree(v, d)}, {Quote(OneOf("#,##0.00", "0.0", "#"))})",
            10 => $"$substringBefore({StringTree(v, d)}, {Quote(OneOf("a", " ", "@"))})",
            11 => $"({StringTree(v, d)})",
            12 => $"{StringTree(v, d)} ~> $uppercase()",
            _ => $"$type({OneOf(NumberTree(v, d), StringTree(v, d), ArrayTree(v, d), "missing")})",
        };
    }

    private string BooleanTree(Vocabulary v, int depth)
    {
        if (depth >= ComposedDepth || Chance(0.2)) return OneOf("true", "false", Bool(v.Root), $"$exists({Any(v.Root)})");
        var d = depth + 1;
        return random.Next(10) switch
        {
            0 => $"{NumberTree(v, d)} {Comparator()} {NumberTree(v, d)}",
            1 => $"{StringTree(v, d)} {Comparator()} {StringTree(v, d)}",
            2 => $"{BooleanTree(v, d)} {OneOf("and", "or")} {BooleanTree(v, d)}",
            3 => $"$not({BooleanTree(v, d)})",
            4 => $"$contains({StringTree(v, d)}, {Quote(OneOf("a", "e", "1", ""))})",
            5 => $"{OneOf(NumberTree(v, d), StringTree(v, d))} in {ArrayTree(v, d)}",
            6 => $"$boolean({OneOf(NumberTree(v, d), StringTree(v, d), ArrayTree(v, d), ObjectTree(v, d))})",
            7 => $"$exists({OneOf(NumberTree(v, d), ArrayTree(v, d))})",
            8 => $"({BooleanTree(v, d)})",
            _ => $"{ArrayTree(v, d)} = {ArrayTree(v, d)}",
        };
    }

    private string ArrayTree(Vocabulary v, int depth)
    {
        var c = PickCollection(v);
        if (depth >= ComposedDepth || Chance(0.2)) return Chance(0.5) ? $"[{NumLit()}, {NumLit()}, {NumLit()}]" : $"{c.Path}.{Any(c.Fields)}";
        var d = depth + 1;
        return random.Next(13) switch
        {
            0 => $"[{NumberTree(v, d)}, {StringTree(v, d)}]",
            1 => $"$map({ArrayTree(v, d)}, function($v){{ {OneOf("$v", "$string($v)", "[$v]", "$type($v)")} }})",
            2 => $"$filter({ArrayTree(v, d)}, function($v){{ $exists($v) and $v != null }})",
            3 => $"$sort({ArrayTree(v, d)})",
            4 => $"$reverse({ArrayTree(v, d)})",
            5 => $"$append({ArrayTree(v, d)}, {ArrayTree(v, d)})",
            6 => $"[{random.Next(-2, 3)}..{random.Next(0, 6)}]",
            7 => $"$distinct({ArrayTree(v, d)})",
            8 => $"$split({StringTree(v, d)}, {Quote(OneOf(" ", "", "e"))})",
            9 => $"$keys({ObjectTree(v, d)})",
            10 => $"{c.Path}[{Predicate(c.Fields)}].{Any(c.Fields)}",
            11 => $"{ArrayTree(v, d)}.($ {OneOf("&", "=")} {OneOf(NumberTree(v, d), StringTree(v, d))})",
            _ => $"$zip({ArrayTree(v, d)}, {ArrayTree(v, d)})",
        };
    }

    private string ObjectTree(Vocabulary v, int depth)
    {
        // Objects may be transformed below (case 5), so they come from collections that are never null.
        var c = PickNonNullCollection(v);
        if (depth >= ComposedDepth || Chance(0.2)) return Chance(0.5) ? $"{{'k': {NumLit()}}}" : $"{c.Path}[0]";
        var d = depth + 1;
        return random.Next(7) switch
        {
            // The 'k' prefix keeps keys from being integer-like: JavaScript orders such keys numerically, a platform artefact.
            0 => $"{{ 'k' & {StringTree(v, d)}: {OneOf(NumberTree(v, d), ArrayTree(v, d), BooleanTree(v, d))} }}",
            1 => $"$merge([{ObjectTree(v, d)}, {ObjectTree(v, d)}])",
            2 => $"{c.Path}{{ {Str(c.Fields)}: {OneOf("$count($)", $"$sum({Num(c.Fields)})", Any(c.Fields))} }}",
            3 => $"{{ 'n': {NumberTree(v, d)}, 's': {StringTree(v, d)}, 'a': {ArrayTree(v, d)} }}",
            4 => $"$sift({ObjectTree(v, d)}, function($v){{ $exists($v) }})",
            5 => $"{ObjectTree(v, d)} ~> |$|{{ 'added': {NumberTree(v, d)} }}|",
            _ => $"$spread({ObjectTree(v, d)})[0]",
        };
    }
}
