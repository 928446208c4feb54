using System.Globalization;
using System.Text;
using IntegrationHealth.Jsonata.Values;
using static IntegrationHealth.Jsonata.Functions.BuiltinLibrary;

namespace IntegrationHealth.Jsonata.Functions;

/// <summary>
/// <c>$contains</c>, <c>$split</c>, <c>$match</c> and <c>$replace</c>: each accepts a plain string or a matcher
/// function (a regex literal, or any function returning <c>{match, start, end, groups, next}</c>).
/// </summary>
internal static class PatternFunctions
{
    private static ObjectValue? EvaluateMatcher(in CallSite site, object? matcher, string? str)
    {
        if (matcher is not FunctionValue function)
        {
            return null;
        }

        var result = site.Apply(function, str is null ? [] : [str]);
        site.Context.Work();
        if (result is null)
        {
            return null;
        }

        if (result is not ObjectValue obj ||
            !(obj.GetValueOrDefault("start") is double || obj.GetValueOrDefault("groups") is ArrayValue || obj.GetValueOrDefault("next") is FunctionValue))
        {
            throw new JsonataException("T1010", "The matcher function argument passed to function does not return the correct object structure");
        }

        return obj;
    }

    public static object? Contains(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not string str || Arg(args, 1) is not { } token)
        {
            return null;
        }

        if (token is string s)
        {
            return Semantics.Box(str.Contains(s, StringComparison.Ordinal));
        }

        return Semantics.Box(EvaluateMatcher(site, token, str) is not null);
    }

    public static object? Match(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not string str)
        {
            return null;
        }

        var limit = Arg(args, 2) as double?;
        if (limit < 0)
        {
            throw new JsonataException("D3040", "Third argument of match function must evaluate to a positive number", value: limit).WithIndex(3);
        }

        var result = ArrayValue.Sequence();
        if (limit is null || limit > 0)
        {
            var count = 0;
            var matches = EvaluateMatcher(site, Arg(args, 1), str);
            while (matches is not null && (limit is null || count < limit))
            {
                result.Add(new ObjectValue(3)
                {
                    ["match"] = matches.GetValueOrDefault("match"),
                    ["index"] = matches.GetValueOrDefault("start"),
                    ["groups"] = matches.GetValueOrDefault("groups"),
                });
                matches = EvaluateMatcher(site, matches.GetValueOrDefault("next"), null);
                count++;
            }
        }

        return result;
    }

    /// <summary>
    /// <c>String(f)</c> of the closure jsonata-js 2.2.2 passes to a built-in for a function argument (jsonata.js,
    /// evaluateFunction), character for character, indentation included.
    /// </summary>
    private const string JsFunctionArgumentText =
        "async function (...params) {\n                    // invoke func\n                    return await apply(arg, params, null, environment);\n                }";

    public static object? Replace(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not string str)
        {
            return null;
        }

        var pattern = Arg(args, 1);
        var replacement = Arg(args, 2);
        if (pattern is "")
        {
            throw new JsonataException("D3010", "Second argument of replace function cannot be an empty string", value: pattern).WithIndex(2);
        }

        var limit = Arg(args, 3) as double?;
        if (limit < 0)
        {
            throw new JsonataException("D3011", "Fourth argument of replace function must evaluate to a positive number", value: limit).WithIndex(4);
        }

        if (!(limit is null || limit > 0))
        {
            return str;
        }

        var result = new StringBuilder();
        var position = 0;
        var count = 0;
        if (pattern is string p)
        {
            // jsonata-js appends the replacement with `result += replacement`, so a missing replacement inserts the text
            // "undefined" ($replace('abc', 'b', missing) is "aundefinedc"), and a function inserts JavaScript's String()
            // of that function: for a function passed in the call, the source text of the closure jsonata-js wraps every
            // function argument in; for a lambda bound by a partial application, "[object Object]".
            var replacementText = replacement switch
            {
                string text => text,
                null => "undefined",
                LambdaValue when site.BoundByPartialApplication(2) => "[object Object]",
                FunctionValue when !site.BoundByPartialApplication(2) => JsFunctionArgumentText,
                _ => "",
            };
            var index = str.IndexOf(p, StringComparison.Ordinal);
            while (index != -1 && (limit is null || count < limit))
            {
                result.Append(str, position, index - position);
                result.Append(replacementText);
                site.Context.Work(1 + ((index - position + replacementText.Length) >> 6));
                position = index + p.Length;
                count++;
                index = str.IndexOf(p, position, StringComparison.Ordinal);
            }

            result.Append(str, position, str.Length - position);
            return result.ToString();
        }

        var matches = EvaluateMatcher(site, pattern, str);
        if (matches is null)
        {
            return str;
        }

        while (matches is not null && (limit is null || count < limit))
        {
            var start = (int)(double)matches["start"]!;
            result.Append(str, position, Math.Max(0, start - position));
            object? replacedWith = replacement is string text
                ? SubstituteGroups(text, matches)
                : replacement is FunctionValue f ? site.Apply(f, [matches]) : null;
            if (replacedWith is string replacedText)
            {
                result.Append(replacedText);
                site.Context.Work(1 + ((start - position + replacedText.Length) >> 6));
            }
            else
            {
                throw new JsonataException("D3012", "Attempted to replace a matched string with a non-string value", value: replacedWith);
            }

            position = start + ((string)matches["match"]!).Length;
            count++;
            matches = EvaluateMatcher(site, matches.GetValueOrDefault("next"), null);
        }

        if (position < str.Length)
        {
            result.Append(str, position, str.Length - position);
        }

        return result.ToString();
    }

    /// <summary>Expands <c>$0</c>, <c>$1</c>..., <c>$$</c> in a replacement string exactly as jsonata-js does.</summary>
    private static string SubstituteGroups(string replacement, ObjectValue match)
    {
        var groups = match.GetValueOrDefault("groups") as ArrayValue ?? [];
        var sb = new StringBuilder();
        var position = 0;
        var index = replacement.IndexOf('$', position);
        while (index != -1 && position < replacement.Length)
        {
            sb.Append(replacement, position, index - position);
            position = index + 1;
            var dollarVal = position < replacement.Length ? replacement[position] : '\0';
            if (dollarVal == '$')
            {
                sb.Append('$');
                position++;
            }
            else if (dollarVal == '0')
            {
                sb.Append(match.GetValueOrDefault("match") as string);
                position++;
            }
            else
            {
                var maxDigits = groups.Count == 0 ? 1 : (int)Math.Floor(Math.Log(groups.Count) * (1 / Math.Log(10))) + 1;
                var groupIndex = ParseIntPrefix(replacement, position, maxDigits);
                if (maxDigits > 1 && groupIndex > groups.Count)
                {
                    groupIndex = ParseIntPrefix(replacement, position, maxDigits - 1);
                }

                if (groupIndex is { } gi)
                {
                    if (groups.Count > 0 && gi - 1 >= 0 && gi - 1 < groups.Count && groups[gi - 1] is string submatch)
                    {
                        sb.Append(submatch);
                    }

                    position += gi.ToString(CultureInfo.InvariantCulture).Length;
                }
                else
                {
                    sb.Append('$');
                }
            }

            index = replacement.IndexOf('$', position);
        }

        if (position < replacement.Length)
        {
            sb.Append(replacement, position, replacement.Length - position);
        }

        return sb.ToString();
    }

    /// <summary>JavaScript parseInt(substring(position, position + digits), 10): leading digits, or null for NaN.</summary>
    private static int? ParseIntPrefix(string s, int position, int digits)
    {
        var end = Math.Min(s.Length, position + digits);
        var i = position;
        while (i < end && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        if (i == position)
        {
            return null;
        }

        return int.Parse(s.AsSpan(position, i - position), CultureInfo.InvariantCulture);
    }

    public static object? Split(in CallSite site, object?[] args)
    {
        if (Arg(args, 0) is not string str)
        {
            return null;
        }

        var limit = Arg(args, 2) as double?;
        if (limit < 0)
        {
            throw new JsonataException("D3020", "Third argument of split function must evaluate to a positive number", value: limit).WithIndex(3);
        }

        var result = new ArrayValue();
        if (!(limit is null || limit > 0))
        {
            return result;
        }

        var separator = Arg(args, 1);
        if (separator is string sep)
        {
            // jsonata-js calls String.prototype.split(separator, limit), which takes the limit modulo 2^32 (ToUint32):
            // 1e300 is a multiple of 2^32, so it splits into nothing, and 2^32 + 1 keeps one part.
            var max = limit is null ? uint.MaxValue : JsNumber.ToUint32(limit.Value);
            if (sep.Length == 0)
            {
                for (var i = 0; i < str.Length && result.Count < max; i++)
                {
                    result.Add(str[i].ToString());
                }

                return result;
            }

            foreach (var part in str.Split(sep))
            {
                if (result.Count >= max)
                {
                    break;
                }

                result.Add(part);
            }

            return result;
        }

        var count = 0;
        var matches = EvaluateMatcher(site, separator, str);
        if (matches is null)
        {
            result.Add(str);
            return result;
        }

        var start = 0;
        while (matches is not null && (limit is null || count < limit))
        {
            var matchStart = (int)(double)matches["start"]!;
            result.Add(str[start..Math.Max(start, matchStart)]);
            start = (int)(double)matches["end"]!;
            matches = EvaluateMatcher(site, matches.GetValueOrDefault("next"), null);
            count++;
        }

        if (limit is null || count < limit)
        {
            result.Add(str[Math.Min(start, str.Length)..]);
        }

        return result;
    }
}
