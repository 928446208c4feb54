using System.Text.Json.Nodes;

namespace IntegrationHealth.Jsonata.Tests.Sandbox;

/// <summary>Hostile or nonsensical expressions must end in a value or a <see cref="JsonataException"/>, never another exception.</summary>
public sealed class HostileExpressionTests
{
    private static readonly string[] Expressions =
    [
        "$substring('abc', 'x')", "$substring('abc')", "$pad('a')", "$pad('a', 1e20)", "$pad('a', -1e10)", "$split('a,b', ',', 1e20)",
        "$match('a', /a/, 1e20)", "$replace('aaa', 'a', 'b', 1e30)", "[1,2,3][1e20]", "[1,2,3][-1e20]", "[1,2,3][$ > 1e20]",
        "$formatBase(1e300, 36)", "$formatBase(-0.5)", "$round(1e300, 400)", "$round(1.5, -400)", "$round(123.456, 1e10)",
        "$power(2, 1e10)", "$sqrt(-1)", "$number('0x')", "$number('0xZZ')", "$number('1e1000')", "$fromMillis(1e300)", "$fromMillis(-1e300)",
        "$toMillis('garbage')", "$toMillis('2020-13-45')", "$now('[Y]', 'bad')", "$fromMillis(0, '[Z]', '+99:99')",
        "$base64decode('!!!')", "$base64decode('a')", "$decodeUrl('%')", "$decodeUrlComponent('%E0%A4%A')", "$encodeUrl('\\uD800')",
        "$eval('1 +')", "$eval('$x', [1,2])", "$sort([1,'a'])", "$sort([{}, {}])", "$zip()", "$zip(1)", "$reduce([1,2], function($a){$a})",
        "$single([])", "$each({'a':1}, function($v,$k,$o,$x){$x})", "$sift({'a':1})", "$keys(1)", "$lookup(1, 'a')", "$spread(function(){1})",
        "$merge(1)", "$merge([1, 'a'])", "$distinct(1)", "$shuffle(1)", "$reverse('abc')", "$append(1, [])", "$count(1)", "$sum('a')",
        "$max([])", "$average(1)", "$string(function(){1})", "$string(1/0)", "$string(0/0)", "0/0 = 0/0", "-(0/0)", "$abs(0/0)",
        "{'a': 1/0}", "[1/0]", "$type(1/0)", "(1/0) > 1", "$formatNumber(1/0, '#')", "$formatNumber(1, '')", "$formatInteger(1e300, '#')",
        "$formatInteger(-5, 'w')", "$formatInteger(1, 'Ww')", "$parseInteger('', '#')", "$parseInteger('12', '')",
        "/(/", "/[/", "/a{2,1}/", "$match('a', /(?<=a)b/)", "$match('ab', /\\2(a)(b)/)", "$match('x', /\\u{41}/)", "$match('a', /a|/)",
        "$replace('abc', /b/, function($m){ 1 })", "$replace('abc', /b/, function($m){ $m.groups[5] })", "$split('abc', function($s){ {'start': 'x'} })",
        "$contains('abc', function($s){ 5 })", "a.b.c.d.e.f[0][0][0]", "**.**.**", "%.%", "$$.%", "[1..1e8]", "[1..(2 - 0.5)]",
        "'a' in 1", "1 in [1]", "{} in [{}]", "$x := 1", "($x := 1; $x := $x + 1; $x)", "function($a){$a}(1, 2, 3)", "$substring(?, 1)('abc')",
        "$uppercase(?)()", "($f := function($x)<n:n>{$x}; $f('a'))", "function($x)<a<n>:n>{$sum($x)}([1,'a'])", "function($x)<(sn)+:n>{1}(1, 'a', true)",
        "| a | {'b': 1} |", "{'a': [1,2]} ~> | a | {'b': 1} |", "$ ~> | $ | {} , 5 |", "{}{}", "{'a':1}[0]{'x': $}", "[{'a':1},{'a':1}]{a: $}",
        "$each(function(){1}, function(){1})", "$error()", "$error('x')", "$assert(false)", "$assert(1)", "$clone(function(){1})",
        "$millis() > 0", "$now('[H01]:[m01]', '-0500')", "$fromMillis(0, '[Y0001]-[M01]-[D01]', 'Z')", "$string([1, function(){}])",
        "\"\\uD83D\"", "$length('\\uD83D\\uDE00\\uD83D')", "$substring('\\uD83D\\uDE00', 0, 1)", "$split('\\uD83D\\uDE00', '')",
    ];

    public static TheoryData<string> Cases() => new(Expressions);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_HostileExpression_ReturnsOrThrowsJsonataException(string expression)
    {
        var options = new JsonataOptions { Timeout = TimeSpan.FromSeconds(20), MaxOutputSize = 20_000_000 };
        try
        {
            var result = JsonataExpression.Compile(expression).Evaluate(JsonNode.Parse("""{"a":{"b":1}}"""), null, options);
            var text = result.ToJsonString();
            Assert.Equal(result.IsUndefined, text is null);
        }
        catch (JsonataException ex)
        {
            Assert.False(string.IsNullOrEmpty(ex.Code));
        }
    }
}
