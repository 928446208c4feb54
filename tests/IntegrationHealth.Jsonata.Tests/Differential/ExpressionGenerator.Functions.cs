namespace IntegrationHealth.Jsonata.Tests.Differential;

// Families for array, object, aggregation, higher-order and date functions.
public sealed partial class ExpressionGenerator
{
    private string Arrays(Vocabulary v)
    {
        var c = PickCollection(v);
        var a = $"{c.Path}.{Any(c.Fields)}";
        return random.Next(16) switch
        {
            0 => $"$count({a})",
            1 => $"$append({a}, {Literal()})",
            2 => $"$append({c.Path}.{Scalars(c.Fields)}, [{StrLit()}, {NumLit()}])",
            3 => $"$sort({c.Path}.{Str(c.Fields)})",
            4 => $"$sort({c.Path}.{Num(c.Fields)})",
            5 => $"$reverse({a})",
            6 => $"$distinct({c.Path}.{Str(c.Fields)})",
            7 => $"$distinct({a})",
            8 => $"$zip({c.Path}.{Any(c.Fields)}, {c.Path}.{Any(c.Fields)})",
            9 => $"$zip([1,2,3], {OneOf("['a','b']", "[]", "[[1],[2]]")})",
            10 => $"$sort({c.Path}, function($l, $r){{ $l.{Num(c.Fields)} {OneOf(">", "<")} $r.{Num(c.Fields)} }}).{Any(c.Fields)}",
            11 => $"[{a}]",
            12 => $"[{a}, {Literal()}][{random.Next(-2, 3)}]",
            13 => $"$count([{OneOf("[]", "[[]]", "[1,[2,[3]]]", "{}", "null")}])",
            14 => $"{c.Path}.{Scalars(c.Fields)}[{random.Next(-1, 2)}]",
            _ => $"$single({c.Path}[{Predicate(c.Fields)}]).{Any(c.Fields)}",
        };
    }

    private string Objects(Vocabulary v)
    {
        var c = PickCollection(v);
        return random.Next(14) switch
        {
            0 => $"$keys({c.Path})",
            1 => $"$keys({c.Path}[0])",
            2 => $"$lookup({c.Path}, {Quote(Pick(c.Fields).Path.Split('.')[0].Trim('`'))})",
            3 => $"$merge({c.Path})",
            4 => $"$merge([{c.Path}[0], {{\"extra\": {Literal()}}}])",
            5 => $"$spread({c.Path}[0])",
            6 => $"$each({c.Path}[0], function($v, $k){{ $k & '=' & $string($v) }})",
            7 => $"$sift({c.Path}[0], function($v){{ $type($v) = {Quote(OneOf("string", "number", "null", "array", "object", "boolean"))} }})",
            8 => $"{c.Path}.$type({Any(c.Fields)})",
            9 => $"$type({OneOf("1", "'s'", "null", "true", "[]", "{}", "nope", "$sum", "function(){1}")})",
            10 => $"$keys({Any(v.Root)})",
            11 => $"$sift({c.Path}[0], function($v, $k){{ $substring($k, 0, 1) in ['A','E','N','d','e','s','n'] }})",
            12 => $"$lookup({c.Path}, 'missing')",
            _ => $"($values := $each({c.Path}[0], function($v){{ $v }}); $count($values))",
        };
    }

    private string Aggregation(Vocabulary v)
    {
        var c = PickCollection(v);
        var fn = OneOf("$sum", "$max", "$min", "$average", "$count");
        return random.Next(10) switch
        {
            0 => $"{fn}({c.Path}.{Num(c.Fields)})",
            1 => $"{fn}({c.Path}[{Predicate(c.Fields)}].{Num(c.Fields)})",
            2 => $"{fn}({c.Path}.({NumExpr(c.Fields)}))",
            3 => $"{fn}([{NumLit()}, {NumLit()}, {NumLit()}])",
            4 => $"{fn}([])",
            5 => $"{fn}({c.Path}.{Any(c.Fields)})",
            6 => $"{c.Path}.{fn}({Num(c.Fields)})",
            7 => $"$round({fn}({c.Path}.{Num(c.Fields)}), 2)",
            8 => $"{fn}({Num(v.Root)})",
            _ => $"{{ 'total': $sum({c.Path}.{Num(c.Fields)}), 'n': $count({c.Path}), 'max': $max({c.Path}.{Num(c.Fields)}) }}",
        };
    }

    private string HigherOrder(Vocabulary v)
    {
        var c = PickCollection(v);
        return random.Next(12) switch
        {
            0 => $"$map({c.Path}, function($x){{ $x.{Any(c.Fields)} }})",
            1 => $"$map({c.Path}, function($x, $i){{ $string($i) & ':' & $string($x.{Any(c.Fields)}) }})",
            2 => $"$filter({c.Path}, function($x){{ $x.{Predicate(c.Fields)} }}).{Any(c.Fields)}",
            3 => $"$filter({c.Path}.{Num(c.Fields)}, function($v, $i){{ $i % 2 = 0 }})",
            4 => $"$reduce({c.Path}.{Num(c.Fields)}, function($acc, $v){{ $acc + $v }})",
            5 => $"$reduce({c.Path}, function($acc, $x){{ $acc + $count($x.*) }}, {SmallInt()})",
            6 => $"$reduce({c.Path}.{Str(c.Fields)}, function($a, $b){{ $a & '|' & $b }})",
            7 => $"$map({c.Path}.{Num(c.Fields)}, $string)",
            8 => $"$map({c.Path}.{Str(c.Fields)}, $uppercase)",
            9 => $"$single({c.Path}, function($x){{ $x.{Predicate(c.Fields)} }}).{Any(c.Fields)}",
            10 => $"$map([1..{random.Next(0, 5)}], function($n){{ $n * $n }})",
            _ => $"$filter({c.Path}, function($x, $i, $all){{ $i = $count($all) - 1 }}).{Any(c.Fields)}",
        };
    }

    private string Dates(Vocabulary v)
    {
        var c = PickCollection(v);
        return random.Next(11) switch
        {
            0 => $"$toMillis({Quote(OneOf("2026-11-23", "2026-11-23T10:15:30Z", "2026-11-23T10:15:30.123+02:00", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999Z"))})",
            1 => $"{c.Path}.$toMillis({Str(c.Fields)})",
            2 => $"$fromMillis({OneOf("0", "1700000000000", "1763900123456", "-86400000", "951782400000")})",
            3 => $"$fromMillis({OneOf("0", "1700000000000", "1763900123456")}, {Quote(OneOf("[Y0001]-[M01]-[D01]", "[H01]:[m01]:[s01]", "[D1o] [MNn] [Y]", "[FNn], [D] [MN,*-3]", "[Y]-[d]"))})",
            4 => $"$fromMillis({OneOf("1700000000000", "1763900123456")}, '[Y0001]-[M01]-[D01]T[H01]:[m01]', {Quote(OneOf("+0100", "-0530", "+0000"))})",
            5 => $"{c.Path}.$fromMillis($toMillis({Str(c.Fields)}))",
            6 => $"$toMillis({Quote(OneOf("23/11/2026", "2026-11-23 10:00", "Nov 23 2026"))}, {Quote(OneOf("[D01]/[M01]/[Y0001]", "[Y0001]-[M01]-[D01] [H01]:[m01]", "[MNn,3-3] [D] [Y]"))})",
            7 => $"$toMillis({Str(v.Root)})",
            8 => $"{c.Path}[{Str(c.Fields)} > '2023'].{Str(c.Fields)}",
            9 => $"$fromMillis($toMillis('2026-01-31') + {OneOf("86400000", "-1", "3600000 * 25")})",
            _ => $"$toMillis({Quote(OneOf("not a date", "2026-13-45", "", "2026"))})",
        };
    }
}
