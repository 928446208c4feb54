using IntegrationHealth.Jsonata.Evaluation;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Functions;

/// <summary>
/// The built-in function library (jsonata-js 2.2.2), with each function's signature and JavaScript arity. The arity
/// matters: higher-order functions pass a callback only as many of (value, index, array) as it declares.
/// </summary>
internal static class BuiltinLibrary
{
    private static readonly Dictionary<string, NativeFunction> Functions = Build();

    public static object? Lookup(string name) => Functions.TryGetValue(name, out var f) ? f : null;

    internal static object? Arg(object?[] args, int index) => index < args.Length ? args[index] : null;

    /// <summary>
    /// A number parameter as jsonata-js's arithmetic sees it. Signatures let undefined through for every typed
    /// parameter (each type class also accepts 'm', as in jsonata-js), so a required number can still be missing;
    /// JavaScript then computes with undefined, which behaves as NaN.
    /// </summary>
    internal static double NumberOrNaN(object?[] args, int index) => Arg(args, index) is double d ? d : double.NaN;

    /// <summary>
    /// A picture-string parameter that must be present. jsonata-js dereferences it unguarded (a JavaScript TypeError
    /// when it is undefined); here that is a clear argument error instead of an internal failure.
    /// </summary>
    internal static string RequiredString(object?[] args, int index) =>
        Arg(args, index) as string
        ?? throw new JsonataException("T0410", $"Argument {index + 1} of function does not match function signature").WithIndex(index + 1);

    private static Dictionary<string, NativeFunction> Build()
    {
        var map = new Dictionary<string, NativeFunction>(StringComparer.Ordinal);

        void Define(string name, string? signature, int arity, NativeImplementation implementation) =>
            map[name] = new NativeFunction(name, arity, implementation)
            {
                Signature = signature is null ? null : Signature.Parse(signature),
            };

        Define("sum", "<a<n>:n>", 1, NumericFunctions.Sum);
        Define("count", "<a:n>", 1, NumericFunctions.Count);
        Define("max", "<a<n>:n>", 1, NumericFunctions.Max);
        Define("min", "<a<n>:n>", 1, NumericFunctions.Min);
        Define("average", "<a<n>:n>", 1, NumericFunctions.Average);
        Define("string", "<x-b?:s>", 1, StringFunctions.String);
        Define("substring", "<s-nn?:s>", 3, StringFunctions.Substring);
        Define("substringBefore", "<s-s:s>", 2, StringFunctions.SubstringBefore);
        Define("substringAfter", "<s-s:s>", 2, StringFunctions.SubstringAfter);
        Define("lowercase", "<s-:s>", 1, StringFunctions.Lowercase);
        Define("uppercase", "<s-:s>", 1, StringFunctions.Uppercase);
        Define("length", "<s-:n>", 1, StringFunctions.Length);
        Define("trim", "<s-:s>", 1, StringFunctions.Trim);
        Define("pad", "<s-ns?:s>", 3, StringFunctions.Pad);
        Define("match", "<s-f<s:o>n?:a<o>>", 3, PatternFunctions.Match);
        Define("contains", "<s-(sf):b>", 2, PatternFunctions.Contains);
        Define("replace", "<s-(sf)(sf)n?:s>", 4, PatternFunctions.Replace);
        Define("split", "<s-(sf)n?:a<s>>", 3, PatternFunctions.Split);
        Define("join", "<a<s>s?:s>", 2, StringFunctions.Join);
        Define("formatNumber", "<n-so?:s>", 3, FormattingFunctions.FormatNumber);
        Define("formatBase", "<n-n?:s>", 2, NumericFunctions.FormatBase);
        Define("formatInteger", "<n-s:s>", 2, FormattingFunctions.FormatInteger);
        Define("parseInteger", "<s-s:n>", 2, FormattingFunctions.ParseInteger);
        Define("number", "<(nsb)-:n>", 1, NumericFunctions.Number);
        Define("floor", "<n-:n>", 1, NumericFunctions.Floor);
        Define("ceil", "<n-:n>", 1, NumericFunctions.Ceil);
        Define("round", "<n-n?:n>", 2, NumericFunctions.Round);
        Define("abs", "<n-:n>", 1, NumericFunctions.Abs);
        Define("sqrt", "<n-:n>", 1, NumericFunctions.Sqrt);
        Define("power", "<n-n:n>", 2, NumericFunctions.Power);
        Define("random", "<:n>", 0, NumericFunctions.Random);
        Define("boolean", "<x-:b>", 1, ObjectFunctions.Boolean);
        Define("not", "<x-:b>", 1, ObjectFunctions.Not);
        Define("map", "<af>", 2, HigherOrderFunctions.Map);
        Define("zip", "<a+>", 0, ArrayFunctions.Zip);
        Define("filter", "<af>", 2, HigherOrderFunctions.Filter);
        Define("single", "<af?>", 2, HigherOrderFunctions.Single);
        Define("reduce", "<afj?:j>", 3, HigherOrderFunctions.Reduce);
        Define("sift", "<o-f?:o>", 2, HigherOrderFunctions.Sift);
        Define("keys", "<x-:a<s>>", 1, ObjectFunctions.Keys);
        Define("lookup", "<x-s:x>", 2, ObjectFunctions.Lookup);
        Define("append", "<xx:a>", 2, ArrayFunctions.Append);
        Define("exists", "<x:b>", 1, ObjectFunctions.Exists);
        Define("spread", "<x-:a<o>>", 1, ObjectFunctions.Spread);
        Define("merge", "<a<o>:o>", 1, ObjectFunctions.Merge);
        Define("reverse", "<a:a>", 1, ArrayFunctions.Reverse);
        Define("each", "<o-f:a>", 2, HigherOrderFunctions.Each);
        Define("error", "<s?:x>", 1, ObjectFunctions.Error);
        Define("assert", "<bs?:x>", 2, ObjectFunctions.Assert);
        Define("type", "<x:s>", 1, ObjectFunctions.Type);
        Define("sort", "<af?:a>", 2, ArrayFunctions.Sort);
        Define("shuffle", "<a:a>", 1, ArrayFunctions.Shuffle);
        Define("distinct", "<x:x>", 1, ArrayFunctions.Distinct);
        Define("base64encode", "<s-:s>", 1, UrlFunctions.Base64Encode);
        Define("base64decode", "<s-:s>", 1, UrlFunctions.Base64Decode);
        Define("encodeUrlComponent", "<s-:s>", 1, UrlFunctions.EncodeUrlComponent);
        Define("encodeUrl", "<s-:s>", 1, UrlFunctions.EncodeUrl);
        Define("decodeUrlComponent", "<s-:s>", 1, UrlFunctions.DecodeUrlComponent);
        Define("decodeUrl", "<s-:s>", 1, UrlFunctions.DecodeUrl);
        Define("eval", "<sx?:x>", 2, ObjectFunctions.Eval);
        Define("toMillis", "<s-s?:n>", 2, FormattingFunctions.ToMillis);
        Define("fromMillis", "<n-s?s?:s>", 3, FormattingFunctions.FromMillis);
        Define("clone", "<(oa)-:o>", 1, ObjectFunctions.Clone);
        Define("now", "<s?s?:s>", 2, FormattingFunctions.Now);
        Define("millis", "<:n>", 0, FormattingFunctions.Millis);
        return map;
    }
}
