using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Evaluation;

/// <summary>
/// The function a regex literal evaluates to: called with a string (and a start index) it returns
/// <c>{match, start, end, groups, next}</c>, where <c>next()</c> continues after the match, as in jsonata-js.
/// </summary>
internal static class RegexMatcher
{
    public static NativeFunction Create(JsRegex regex, int position)
    {
        NativeFunction? self = null;
        self = new NativeFunction("regex", 2, (in CallSite site, object?[] args) =>
        {
            // RegExp.prototype.exec coerces its argument to a string (numbers, booleans, even undefined).
            var str = JsString(args.Length > 0 ? args[0] : null);
            var from = args.Length > 1 && args[1] is double d ? (int)d : 0;
            return Match(regex, str, from, position, site.Context);
        });
        return self;
    }

    /// <summary>JavaScript's String(value) for the values an expression can pass to a matcher.</summary>
    private static string JsString(object? value) => value switch
    {
        string s => s,
        null => "undefined",
        double d => JsNumber.ToString(d),
        bool b => b ? "true" : "false",
        NullValue => "null",
        ArrayValue a => string.Join(",", a.Select(item => item is null or NullValue ? "" : JsString(item))),
        ObjectValue => "[object Object]",
        _ => "",
    };

    private static ObjectValue? Match(JsRegex regex, string str, int fromIndex, int position, EvaluationContext context)
    {
        if (fromIndex > str.Length)
        {
            return null;
        }

        // Each match gets at most what is left of the evaluation's time budget (a regex cannot be interrupted from
        // outside, and .NET checks its own timeout while backtracking).
        var remaining = context.RemainingMilliseconds();
        System.Text.RegularExpressions.Match m;
        try
        {
            m = (remaining is { } ms ? regex.For(ms) : regex.Regex).Match(str, fromIndex);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            if (remaining is not null)
            {
                throw context.TimeoutError();
            }

            throw new JsonataException("U1001", $"Regular expression /{regex.Source}/ took longer than {JsRegex.MatchTimeout.TotalSeconds} s to match", position);
        }

        if (!m.Success)
        {
            return null;
        }

        var groups = new ArrayValue(Math.Max(0, m.Groups.Count - 1));
        for (var i = 1; i < m.Groups.Count; i++)
        {
            groups.Add(m.Groups[i].Success ? m.Groups[i].Value : null);
        }

        var lastIndex = m.Index + m.Length;
        var result = new ObjectValue(5)
        {
            ["match"] = m.Value,
            ["start"] = (double)m.Index,
            ["end"] = (double)lastIndex,
            ["groups"] = groups,
        };
        result["next"] = new NativeFunction("next", 0, (in CallSite _, object?[] _) =>
        {
            if (lastIndex >= str.Length)
            {
                return null;
            }

            var next = Match(regex, str, lastIndex, position, context);
            if (next is not null && next["match"] is "")
            {
                throw new JsonataException("D1004", "Regular expression matches zero length string", position, value: regex.Source);
            }

            return next;
        });
        return result;
    }
}
