namespace IntegrationHealth.Jsonata.Tests.Differential;

// Families aimed at the fine print of jsonata-js semantics, where a port is most likely to drift: sequence flattening
// and singleton unwrapping, JavaScript regular expressions, UTF-16 and full Unicode case mapping, pictures for
// numbers/integers/dates, the transform operator, signatures and lambdas, deep equality and sort order.
public sealed partial class ExpressionGenerator
{
    private static readonly string[] UnicodeSamples =
        ["straße", "ﬁne", "İstanbul", "ŉ", "😀 smile", "e\u0301", "Ωmega", "a\u00a0b", " \t padded \n ", "٣٤", "日本語テキスト", "ǆ", "ΣΑΣ", "x😀y😀z"];

    private string Sequences(Vocabulary v)
    {
        var c = PickCollection(v);
        var f = Any(c.Fields);
        return random.Next(16) switch
        {
            0 => $"[{c.Path}.{f}]",
            1 => $"{c.Path}.[{f}]",
            2 => $"{c.Path}.{f}[]",
            3 => $"{c.Path}[].{f}",
            4 => $"$count({c.Path}.{f})",
            5 => $"{c.Path}.{Scalars(c.Fields)}[0]",
            6 => $"({c.Path}.{Scalars(c.Fields)})[0]",
            7 => $"{c.Path}[[{OneOf("0, 2", "-1..0", "1", "0, 0")}]].{f}",
            8 => $"$filter({c.Path}, function($x, $i){{ $i = 0 }})",
            9 => $"{{ 'one': {c.Path}[0].{f}, 'many': {c.Path}.{f}, 'kept': {c.Path}[0].{f}[] }}",
            10 => $"[[1, 2], [3]].$",
            11 => $"[[1, 2], [3]].[$]",
            12 => $"$map({c.Path}, function($x){{ [$x.{f}] }})",
            13 => $"{c.Path}.{f} = {c.Path}.{f}",
            14 => $"[{c.Path}.{f}, []][]",
            _ => $"$append({c.Path}[0].{f}, {c.Path}[1].{f})",
        };
    }

    private string Regex(Vocabulary v)
    {
        var c = PickCollection(v);
        var s = StrExpr(c.Fields);
        var pattern = OneOf("\\w+", "\\d", "[a-z]+", "(\\w+)@(\\w+)\\.(\\w+)", "^\\S+", "\\s", "(?<first>\\w)(\\w*)", "é|ü|ø", "[^a-z ]+", "\\bS", "a(?=n)", ".+?", "\\p{L}", "\\.", "(a|e)(?!x)");
        var flags = OneOf("", "", "i", "m");
        var literal = Quote(Pick(UnicodeSamples.Concat(["José Müller", "ana.0@example.com", "a1b22c333", "Seat licence renewal", "٣4"]).ToArray()));
        return random.Next(11) switch
        {
            0 => $"{c.Path}.$match({s}, /{pattern}/{flags})",
            1 => $"$match({literal}, /{pattern}/{flags})",
            2 => $"$match({literal}, /{pattern}/{flags}, {random.Next(0, 3)})",
            3 => $"{c.Path}.$replace({s}, /{pattern}/{flags}, {Quote(OneOf("<$0>", "$1", "$$", "[$2|$1]", "$10", ""))})",
            4 => $"$replace({literal}, /{pattern}/{flags}, function($m){{ $uppercase($m.match) & $string($m.index) }})",
            5 => $"$split({literal}, /{OneOf("\\s+", ",\\s*", "[.@]", "\\d", "")}/{(Chance(0.3) ? ", 2" : "")})",
            6 => $"{c.Path}[$contains({s}, /{pattern}/{flags})].{Any(c.Fields)}",
            7 => $"{literal} ~> /{pattern}/{flags}",
            8 => $"$count($match({literal}, /{pattern}/{flags}))",
            9 => $"$match({literal}, /{pattern}/{flags}).groups",
            _ => $"{c.Path}.{s}[$ ~> /{OneOf("^[A-M]", "@", "\\d", "é")}/{flags}]",
        };
    }

    private string Unicode(Vocabulary v)
    {
        var c = PickCollection(v);
        var literal = Quote(Pick(UnicodeSamples));
        return random.Next(14) switch
        {
            0 => $"{OneOf("$uppercase", "$lowercase", "$length", "$trim")}({literal})",
            1 => $"$substring({literal}, {random.Next(-4, 4)}, {random.Next(0, 4)})",
            2 => $"$pad({literal}, {random.Next(-10, 10)}, {Quote(OneOf("😀", "é", "-", "xy"))})",
            3 => $"$split({literal}, {Quote(OneOf("", " ", "😀", "e"))})",
            4 => $"$join($reverse($split({literal}, '')))",
            5 => $"$sort([{literal}, {Quote(Pick(UnicodeSamples))}, {Quote(Pick(UnicodeSamples))}, 'Z', 'a'])",
            6 => $"{literal} {Comparator()} {Quote(Pick(UnicodeSamples))}",
            7 => $"$base64encode({literal})",
            8 => $"$encodeUrlComponent({literal})",
            9 => $"$string({literal}) & {literal}",
            10 => $"{c.Path}.$substringBefore({StrExpr(c.Fields)}, {Quote(OneOf("😀", "ü", "é", "@"))})",
            11 => $"\"{OneOf("\\u00e9", "\\uD83D\\uDE00", "tab\\there", "quote\\\"s", "back\\\\slash", "\\/", "line\\nbreak")}\"",
            12 => $"$length({literal} & {literal})",
            _ => $"$contains({literal}, {Quote(OneOf("😀", "ß", "SS", "e\u0301", " "))})",
        };
    }

    private string Pictures(Vocabulary v)
    {
        var c = PickCollection(v);
        var millis = OneOf("0", "1700000000000", "1763900123456", "-1", "951782400000", "1709251199999", "4102444800000");
        return random.Next(10) switch
        {
            0 => $"$formatNumber({OneOf("1234.5678", "-0.5", "0", "1e6", "0.00012", "-1234567.891", "99.995", "12")}, {Quote(OneOf("#,##0.###", "0.00", "#%", "‰0", "00000", "#,##0.00;(#,##0.00)", "0.0e0", "#.#e00", "##0.0#", "#,###,##0"))})",
            1 => $"$formatNumber({OneOf("1234.5", "-98765.4321")}, '#.##0,00', {{'decimal-separator': ',', 'grouping-separator': '.'}})",
            2 => $"$formatInteger({OneOf("0", "1", "7", "12", "21", "99", "1234", "1999", "-5", "1000000")}, {Quote(OneOf("w", "W", "Ww", "w;o", "I", "i", "a", "A", "0", "001", "#,##0", "1;o", "#0"))})",
            3 => $"$fromMillis({millis}, {Quote(OneOf("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01]", "[FNn], [D1o] [MNn] [Y]", "[h]:[m01] [P]", "[Y,2]-[M,2]", "[YI] [MI] [Di]", "[Dw] [MNn] [Yw]", "[d] [F1] [W] [w]", "[FN,*-3] [MN,*-3]", "[H]h[m]", "[Y0001][M01][D01]", "[z]", "[Z]", "[D#1,2]"))})",
            4 => $"$fromMillis({millis}, '[H01]:[m01] [Z]', {Quote(OneOf("+0100", "-0500", "+0530", "+1245", "-0000"))})",
            5 => $"$toMillis({Quote(OneOf("2026-11-23T10:15:30+01:00", "2026-11-23T10:15:30.5Z", "2026-11-23T10:15Z", "2026-02-29", "2026-1-5", "20261123"))})",
            6 => $"$toMillis({Quote(OneOf("Monday, 23rd November 2026", "23/11/2026 14:05", "2026-W48-1", "12:30 pm"))}, {Quote(OneOf("[FNn], [D1o] [MNn] [Y]", "[D01]/[M01]/[Y0001] [H01]:[m01]", "[Y]-W[W]-[F1]", "[h]:[m] [P]"))})",
            7 => $"{c.Path}.$formatNumber({Num(c.Fields)}, {Quote(OneOf("#,##0.00", "0.0%", "#", "0000.0"))})",
            8 => IntegerPicture(c, Num(c.Fields)),
            _ => $"$parseInteger({Quote(OneOf("one hundred and twenty-three", "MCMXCIX", "mmxxvi", "1,234,567", "0042", "twelfth", "a", "zz"))}, {Quote(OneOf("w", "I", "i", "#,##0", "0000", "a", "w;o"))})",
        };
    }

    private string Transforms(Vocabulary v)
    {
        var c = PickNonNullCollection(v);
        var field = Pick(c.Fields).Path.Split('.')[0];
        return random.Next(8) switch
        {
            0 => $"$ ~> |{c.Path}|{{ 'flag': true }}|",
            1 => $"$ ~> |{c.Path}|{{}}, [{Quote(field.Trim('`'))}]|",
            2 => $"($ ~> |{c.Path}|{{ 'copy': {Any(c.Fields)} }}|).{c.Path}",
            3 => $"$ ~> |{c.Path}[{Predicate(c.Fields)}]|{{ 'matched': true }}|",
            4 => $"($t := |{c.Path}|{{ 'n': 1 }}|; $t($).{c.Path}.n)",
            5 => $"$ ~> |{c.Path}|{OneOf("'x'", "5", "[1]")}|",
            6 => $"{c.Path}[0] ~> |$|{{ 'k': {Literal()} }}, {OneOf("'missing'", "['a', 'b']", "[]")}|",
            _ => $"$count(($ ~> |**|{{}}|).*)",
        };
    }

    private string Lambdas(Vocabulary v)
    {
        var c = PickCollection(v);
        return random.Next(12) switch
        {
            0 => $"(function($x)<n:n>{{ $x * 2 }})({OneOf("2", "'a'", "[3]", "null", "true")})",
            1 => $"(function($s)<s?:s>{{ $uppercase($s) }})({OneOf("", "'x'", "1")})",
            2 => $"{c.Path}.(function($s)<s-:n>{{ $length($s) }})({StrExpr(c.Fields)})",
            3 => $"(function($a, $b)<a<n>n:a<n>>{{ $map($a, function($v){{ $v * $b }}) }})({OneOf("[1,2]", "1", "['a']", "[]")}, {OneOf("2", "0.5")})",
            4 => $"($compose := function($f, $g){{ function($x){{ $g($f($x)) }} }}; $compose($uppercase, $length)({Quote(Pick(UnicodeSamples))}))",
            5 => $"$map([1, 2, 3], function($v, $i, $a){{ $v + $i + $count($a) }})",
            6 => $"$map([1, 2, 3], $string)",
            7 => $"$reduce([1, 2, 3, 4], function($a, $v, $i){{ $a + $v * $i }}{(Chance(0.5) ? ", 100" : "")})",
            8 => $"($apply := function($f){{ $f(3) }}; $apply(function($n){{ [1..$n] }}))",
            9 => $"($down := function($n){{ $n < 1 ? [] : $append($n, $down($n - 1)) }}; $down({random.Next(0, 5)}))",
            10 => $"($counter := function($n, $acc){{ $n = 0 ? $acc : $counter($n - 1, $acc + $n) }}; $counter({OneOf("10", "100", "300")}, 0))",
            _ => $"$sift({{'a': 1, 'b': 'x', 'c': null, 'd': [1]}}, function($v, $k, $o){{ $type($v) != 'null' and $k != 'd' and $exists($o.a) }})",
        };
    }

    private string EqualityAndSorting(Vocabulary v)
    {
        var c = PickCollection(v);
        return random.Next(12) switch
        {
            0 => $"{OneOf("{'a': 1, 'b': [1, 2]}", "[1, 2]", "[1, [2]]", "{'a': null}", "1", "'1'")} {OneOf("=", "!=")} {OneOf("{'b': [1, 2], 'a': 1}", "[1, 2]", "[1, [2]]", "{'a': null}", "1.0", "'1'")}",
            1 => $"$distinct([{OneOf("{'a': 1}, {'a': 1}, {'a': 2}", "[1, 2], [1, 2], [2, 1]", "1, 1.0, '1', true, 1", "null, null, 'null'")}])",
            2 => $"{OneOf("{'a': 1}", "[1, 2]", "'x'", "null")} in [{OneOf("{'a': 1}, 2", "[1, 2]", "'x', 'y'", "null")}]",
            3 => $"$sort([{OneOf("'b', 'a', 'B', 'é', 'Z', '10', '9'", "10, 9, -1, 0.5, 1e3", "'ü', 'u', 'v', 'ù'")}])",
            4 => $"$sort({c.Path}, function($a, $b){{ $a.{Str(c.Fields)} > $b.{Str(c.Fields)} }}).{Any(c.Fields)}",
            5 => $"{c.Path}^({OneOf("<", ">")}{Str(c.Fields)}, {OneOf("<", ">")}{Num(c.Fields)}).{Any(c.Fields)}",
            6 => $"[{OneOf("3, 1, 2", "'c', 'a', 'b'", "{'k': 2}, {'k': 1}")}]^($)",
            7 => $"[{{'k': 2, 'n': 'b'}}, {{'k': 1, 'n': 'a'}}, {{'n': 'c'}}, {{'k': 1, 'n': 'd'}}]^({OneOf("k", ">k", "<n", "k, >n")}).n",
            8 => $"{c.Path}#$i^(>$i).{Any(c.Fields)}",
            9 => $"{c.Path}^({Num(c.Fields)})#$i.{{ 'i': $i, 'v': {Any(c.Fields)} }}",
            10 => $"$max({OneOf("[1, 'a']", "[-0, 0]", "[]", "[1e308, -1e308]")})",
            _ => $"{c.Path}{{ {Str(c.Fields)}: $sort({Num(c.Fields)}) }}",
        };
    }
}
