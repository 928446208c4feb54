namespace IntegrationHealth.Jsonata.Tests.Differential;

// Families that build structure or control flow: constructors and group-by, order-by, ~> chains, binding blocks,
// conditionals and ranges, and expressions meant to fail.
public sealed partial class ExpressionGenerator
{
    private string Constructors(Vocabulary v)
    {
        var c = PickCollection(v);
        var key = Str(c.Fields);
        return random.Next(14) switch
        {
            0 => $"{c.Path}.{{ 'a': {Any(c.Fields)}, 'b': {StrExpr(c.Fields)} & '!' }}",
            1 => $"{c.Path}{{ {key}: $count($) }}",
            2 => $"{c.Path}{{ {key}: {Any(c.Fields)} }}",
            3 => $"{c.Path}{{ {key}: {{ 'total': $sum({Num(c.Fields)}), 'n': $count($) }} }}",
            4 => $"[{c.Path}.{{ 'k': {Any(c.Fields)} }}]",
            5 => $"{{ 'items': {c.Path}.{Any(c.Fields)}, 'first': {c.Path}[0].{Any(c.Fields)}, 'none': missing }}",
            6 => $"{c.Path}.{{ {key}: {Any(c.Fields)} }}",
            7 => $"{{ 'meta': {{ 'n': $count({c.Path}), 'list': [1, {{ 'deep': {Any(v.Root)} }}] }} }}",
            8 => $"{c.Path}{{ 'all': $sum({Num(c.Fields)}) }}",
            9 => $"[[1, 2], [], [{c.Path}.{Any(c.Fields)}]]",
            10 => $"{c.Path}.[{Any(c.Fields)}]",
            11 => $"[{c.Path}.{Scalars(c.Fields)}]",
            12 => $"{c.Path}{{ {key} & '-' & {StrExpr(c.Fields)}: {Num(c.Fields)} }}",
            _ => $"{c.Path}^({Any(c.Fields)}){{ {key}: [{Any(c.Fields)}] }}",
        };
    }

    private string OrderBy(Vocabulary v)
    {
        var c = PickCollection(v);
        string Key() => $"{OneOf("", "<", ">")}{(Chance(0.6) ? Num(c.Fields) : Str(c.Fields))}";
        return random.Next(8) switch
        {
            0 => $"{c.Path}^({Key()})",
            1 => $"{c.Path}^({Key()}).{Any(c.Fields)}",
            2 => $"{c.Path}^({Key()}, {Key()}).{Any(c.Fields)}",
            3 => $"{c.Path}^({Key()})[0]",
            4 => $"{c.Path}[{Predicate(c.Fields)}]^({Key()}).{Any(c.Fields)}",
            5 => $"{c.Path}.{Any(c.Fields)}^($)",
            6 => $"$sort({c.Path}.{Any(c.Fields)})",
            _ => $"{c.Path}^(>({NumExpr(c.Fields)})).{{ 'k': {Any(c.Fields)} }}",
        };
    }

    private string Chains(Vocabulary v)
    {
        var c = PickCollection(v);
        return random.Next(10) switch
        {
            0 => $"{c.Path}.{Str(c.Fields)} ~> $join({Quote(OneOf(",", " / "))})",
            1 => $"{c.Path}.{StrExpr(c.Fields)} ~> $uppercase() ~> $substring(0, {random.Next(1, 5)})",
            2 => $"{c.Path} ~> $map(function($r){{ $r.{Any(c.Fields)} }}) ~> $count()",
            3 => $"($f := $uppercase ~> $trim; {c.Path}.$f({StrExpr(c.Fields)}))",
            4 => $"{c.Path}.{{ 'k': {Any(c.Fields)} }} ~> $merge()",
            5 => $"{c.Path}.{Num(c.Fields)} ~> $sum() ~> $round({random.Next(0, 3)})",
            6 => $"{c.Path} ~> $filter(function($x){{ $x.{Predicate(c.Fields)} }}) ~> $count",
            7 => $"{c.Path}.{StrExpr(c.Fields)} ~> $distinct() ~> $sort() ~> $join('|')",
            8 => $"{c.Path}[0].{StrExpr(c.Fields)} ~> $split('') ~> $reverse() ~> $join()",
            _ => $"({c.Path}.{Num(c.Fields)} ~> $max()) {OneOf("+", "-")} ({c.Path}.{Num(c.Fields)} ~> $min())",
        };
    }

    private string Blocks(Vocabulary v)
    {
        var c = PickCollection(v);
        return random.Next(12) switch
        {
            0 => $"($t := {NumLit()}; {c.Path}[{Num(c.Fields)} > $t].{Any(c.Fields)})",
            1 => $"($fmt := function($n){{ $formatNumber($n, '#,##0.00') }}; {c.Path}.$fmt({Num(c.Fields)}))",
            2 => $"($fact := function($n){{ $n <= 1 ? 1 : $n * $fact($n - 1) }}; $fact({random.Next(0, 21)}))",
            3 => $"($fib := function($n){{ $n < 2 ? $n : $fib($n - 1) + $fib($n - 2) }}; $fib({random.Next(0, 16)}))",
            4 => $"($add := function($a){{ function($b){{ $a + $b }} }}; $add({NumLit()})({NumLit()}))",
            5 => $"($first := $substring(?, 0, {random.Next(1, 4)}); {c.Path}.$first($string({Any(c.Fields)})))",
            6 => "($x := 1; ($x := 2; $x); $x)",
            7 => $"($r := {c.Path}; $r[{random.Next(-1, 2)}].{Any(c.Fields)})",
            8 => $"{c.Path}.($$.{Any(v.Root)})",
            9 => $"($n := $count({c.Path}); $s := $sum({c.Path}.{Num(c.Fields)}); $n > 0 ? $s / $n : null)",
            10 => $"($typed := function($s, $n)<s-n:s>{{ $s & $string($n) }}; {c.Path}.$typed({Any(c.Fields)}, {NumLit()}))",
            _ => $"($tag := function($x){{ {{ 'value': $x, 'type': $type($x) }} }}; {c.Path}.$tag({Any(c.Fields)}))",
        };
    }

    private string ConditionalsAndRanges(Vocabulary v)
    {
        var c = PickCollection(v);
        return random.Next(13) switch
        {
            0 => $"{c.Path}.({Predicate(c.Fields)} ? {Any(c.Fields)} : {Literal()})",
            1 => $"{c.Path}.({Predicate(c.Fields)} ? {StrLit()})",
            2 => $"$count({c.Path}) > {SmallInt()} ? 'many' : 'few'",
            3 => $"{c.Path}.({Any(c.Fields)} ?: {Literal()})",
            4 => $"{c.Path}.({Any(c.Fields)} ?? {Literal()})",
            5 => $"[{random.Next(-3, 4)}..{random.Next(-3, 8)}]",
            6 => $"[{random.Next(0, 3)}..{random.Next(0, 5)}, {NumLit()}].($ * {NumLit()})",
            7 => $"$count([1..{OneOf("1000", "0", "1", "$count(" + c.Path + ")")}])",
            8 => $"{c.Path}[[{random.Next(0, 2)}..{random.Next(0, 3)}]].{Any(c.Fields)}",
            9 => $"[1..{NumLit()}]",
            10 => $"{c.Path}[0].({Any(c.Fields)} ? 'truthy' : 'falsy')",
            11 => $"{Literal()} ? {Literal()} : {Literal()}",
            _ => $"[1..3].(${OneOf("", " + 1", " * $")})",
        };
    }

    private string Errors(Vocabulary v)
    {
        var c = PickCollection(v);
        return random.Next(22) switch
        {
            0 => $"{StrLit()} {OneOf("+", "-", "*", "/", "%")} {NumLit()}",
            1 => $"{NumLit()} {OneOf("+", "*")} {OneOf("'1'", "true", "[1]", "{}", "null")}",
            2 => $"{c.Path}.({Str(c.Fields)} * 2)",
            3 => $"$sum({c.Path}.{Str(c.Fields)})",
            4 => $"{c.Path}{{ {Num(c.Fields)}: 1 }}",
            5 => $"$uppercase({c.Path}[0].{Num(c.Fields)})",
            6 => $"{c.Path}.$substring({Num(c.Fields)}, 0, 1)",
            7 => OneOf("$nonexistent(1)", "nope()", "$uppercase()", "$substring()", "$count(1, 2)", "$join([1, 2])", "$max(['a', 'b'])", "$split('a', 1)"),
            8 => OneOf("1 / 0", "-1 / 0", "$power(10, 400)", "$number('abc')", "$number('1e400')", "$sqrt(-1)", "$power(-8, 1/3)"),
            9 => OneOf("$error('boom')", "$error()", "$assert(false, 'assertion failed')", "$assert(1 = 1, 'fine')", "$assert(false)"),
            10 => OneOf("[1..'a']", "['a'..2]", "[1.5..3]", "[1..1e8]", "[1..20000000]"),
            11 => OneOf("$toMillis('x')", "$formatNumber(1, '#.#.#')", "$formatNumber(1, '0%%')", "$fromMillis(1, '[Z]', 'bad')", "$formatBase(10, 99)", "$formatInteger(1, '')"),
            12 => OneOf("a[", "(1", "1 +", "\"unterminated", "$f(", "{ 'a' }", "[1, 2", "a.b.", "1 2", "@", "a ~> 1", "$x := 1", "{ 'a': 1, }", "[1,]", "/ab", "''[", "a[1]]", "`unterminated", "1..2", "function($x) $x", "$f($", "{}{}", "%", "a ? : b"),
            13 => OneOf("'abc' < 5", "true < false", "[1, 2] < 3", "{} > 1", "null < 1", "'a' <= 'b'", "1 < 'a'"),
            14 => OneOf("-'a'", "-true", "-[1, 2]", "-null", "-{}"),
            15 => OneOf("$sort([1, 'a'])", "$sort([1, 2], 'x')", "$reduce([1, 2], 1)", "$map([1], 'x')", "$filter(1, $string)", "$single([1, 2])", "$single([])", "$single([1, 2], function($v){ $v > 0 })"),
            16 => $"{c.Path}^({Scalars(c.Fields)})",
            17 => OneOf("$eval('1 +')", "$eval('[1, 2')", "$eval('$sum([1,2])')", "$eval('a', {'a': 5})", "$eval('nope()')"),
            18 => $"{c.Path}.$pad({Any(c.Fields)})",
            19 => $"$lookup({NumLit()}, 'a')",
            20 => OneOf("$string(1 / 0)", "$boolean($uppercase)", "$keys(1)", "$spread('x')", "$merge(1)", "$zip(1)", "$append(1, 2)", "$distinct(1)"),
            _ => $"$fromMillis({StrLit()})",
        };
    }
}
