using System.Globalization;
using System.Text;

namespace IntegrationHealth.Jsonata.Tests.Differential;

/// <summary>What an expression is evaluated against.</summary>
public enum CaseInput
{
    /// <summary>The case's payload document.</summary>
    Payload,

    /// <summary>No input at all (<c>EvaluateWithoutInput</c>; <c>evaluate(undefined)</c> in jsonata-js).</summary>
    None,

    /// <summary>The JSON value null.</summary>
    JsonNull,
}

/// <summary>One generated expression/payload pair, optionally with variable bindings and the host functions of
/// <see cref="HostFunctions"/>.</summary>
public sealed record DifferentialCase(int Id, string Family, string Expression, Payload Payload, CaseInput Input = CaseInput.Payload,
    System.Text.Json.Nodes.JsonObject? Bindings = null, bool UsesHostFunctions = false)
{
    /// <summary>Short description of the input for reports.</summary>
    public string InputSummary => Input switch
    {
        CaseInput.None => "no input",
        CaseInput.JsonNull => "input null",
        _ => Payload.Summary,
    } + (Bindings is null ? "" : $", bindings {Bindings.ToJsonString()}") + (UsesHostFunctions ? ", host functions" : "");
}

/// <summary>
/// Seeded generator of JSONata expressions over the generated payloads. Expressions are built from the payloads'
/// merged shape, so they navigate real fields (and sometimes missing ones), feed numbers to arithmetic and strings to
/// string functions, and — in the <c>errors</c> family and by chance elsewhere — the wrong types on purpose.
/// Every family is a separate method so a mismatch report can say which part of the language disagrees.
/// Non-deterministic functions ($now, $millis, $random, $shuffle) are never generated.
/// </summary>
public sealed partial class ExpressionGenerator
{
    private readonly Random random;
    private readonly Dictionary<PayloadKind, Vocabulary> vocabularies;

    /// <summary>Expression families, in the order they are dealt round-robin.</summary>
    private static readonly (string Name, Func<ExpressionGenerator, Vocabulary, Generated> Generate)[] Families =
    [
        ("paths", (g, v) => g.Paths(v)),
        ("predicates", (g, v) => g.Predicates(v)),
        ("wildcards", (g, v) => g.Wildcards(v)),
        ("arithmetic", (g, v) => g.Arithmetic(v)),
        ("comparison", (g, v) => g.Comparison(v)),
        ("boolean", (g, v) => g.Boolean(v)),
        ("strings", (g, v) => g.Strings(v)),
        ("numeric", (g, v) => g.Numeric(v)),
        ("arrays", (g, v) => g.Arrays(v)),
        ("objects", (g, v) => g.Objects(v)),
        ("aggregation", (g, v) => g.Aggregation(v)),
        ("higher-order", (g, v) => g.HigherOrder(v)),
        ("constructors", (g, v) => g.Constructors(v)),
        ("order-by", (g, v) => g.OrderBy(v)),
        ("chains", (g, v) => g.Chains(v)),
        ("blocks", (g, v) => g.Blocks(v)),
        ("conditionals-ranges", (g, v) => g.ConditionalsAndRanges(v)),
        ("dates", (g, v) => g.Dates(v)),
        ("errors", (g, v) => g.Errors(v)),
        ("sequences", (g, v) => g.Sequences(v)),
        ("regex", (g, v) => g.Regex(v)),
        ("unicode", (g, v) => g.Unicode(v)),
        ("pictures", (g, v) => g.Pictures(v)),
        ("transforms", (g, v) => g.Transforms(v)),
        ("lambdas", (g, v) => g.Lambdas(v)),
        ("equality-sorting", (g, v) => g.EqualityAndSorting(v)),
        ("bindings-inputs", (g, v) => g.BindingsAndInputs(v)),
        ("composed", (g, v) => g.Composed(v)),
        ("arguments", (g, v) => g.Arguments(v)),
    ];

    /// <summary>Names of the expression families, in the order cases are dealt.</summary>
    public static IReadOnlyList<string> FamilyNames { get; } = Families.Select(f => f.Name).ToArray();

    public ExpressionGenerator(Random random, IReadOnlyList<Payload> payloads)
    {
        this.random = random;
        vocabularies = payloads.GroupBy(p => p.Kind).ToDictionary(g => g.Key, g => Vocabulary.Of(PayloadShape.Of(g.Select(p => p.Document))));
    }

    /// <summary>Deals <paramref name="count"/> cases round-robin over the families, each on a random payload.</summary>
    public IReadOnlyList<DifferentialCase> Generate(IReadOnlyList<Payload> payloads, int count)
    {
        var cases = new List<DifferentialCase>(count);
        for (var i = 0; i < count; i++)
        {
            var (name, generate) = Families[i % Families.Length];
            var payload = payloads[random.Next(payloads.Count)];
            var generated = generate(this, vocabularies[payload.Kind]);
            cases.Add(new DifferentialCase(i, name, generated.Expression, payload, generated.Input, generated.Bindings, generated.UsesHostFunctions));
        }

        return cases;
    }

    /// <summary>What a family produces: the expression, and for the bindings family also input mode and bindings.</summary>
    private readonly record struct Generated(string Expression, CaseInput Input = CaseInput.Payload,
        System.Text.Json.Nodes.JsonObject? Bindings = null, bool UsesHostFunctions = false)
    {
        public static implicit operator Generated(string expression) => new(expression);
    }

    /// <summary>Paths available in one kind of payload: from the root, and per collection relative to its elements.</summary>
    private sealed record Vocabulary(IReadOnlyList<FieldPath> Root, IReadOnlyList<Collection> Collections)
    {
        public static Vocabulary Of(PayloadShape shape) => new(
            shape.Leaves(),
            shape.Collections().Select(c => new Collection(c.Path, c.Element.Leaves())).Where(c => c.Fields.Count > 0).ToArray());
    }

    private sealed record Collection(string Path, IReadOnlyList<FieldPath> Fields);

    // ---- picking -------------------------------------------------------------------------------------------------

    private bool Chance(double probability) => random.NextDouble() < probability;

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private string OneOf(params string[] options) => options[random.Next(options.Length)];

    private Collection PickCollection(Vocabulary v) => Pick(v.Collections);

    /// <summary>A collection that is never null in any payload. jsonata-js 2.2.2 crashes (TypeError, not a JSONata
    /// error) when a transform's update reaches a null, so transforms only get these.</summary>
    private Collection PickNonNullCollection(Vocabulary v)
    {
        var nonNull = v.Collections.Where(c => !v.Root.Any(f => f.Path == c.Path && f.Has(ValueKinds.Null))).ToArray();
        return nonNull.Length > 0 ? Pick(nonNull) : PickCollection(v);
    }

    /// <summary>Mostly a real array of objects (records, lines, events), where filtering has something to filter.</summary>
    private Collection PickArrayCollection(Vocabulary v)
    {
        var arrays = v.Collections.Where(c => v.Root.Any(f => f.Path == c.Path && f.Has(ValueKinds.ArrayOfObjects))).ToArray();
        return arrays.Length > 0 && Chance(0.8) ? Pick(arrays) : PickCollection(v);
    }

    /// <summary>A path to a field holding <paramref name="want"/> (falls back to any field); 4% of the time a
    /// path that exists in no payload, because missing data is the common case in integrations.</summary>
    private string Field(IReadOnlyList<FieldPath> fields, ValueKinds want)
    {
        if (Chance(0.04))
        {
            return OneOf("missing", "Missing_Field__c", "nope.deeper", "`no such`");
        }

        var matching = fields.Where(f => f.Has(want)).ToArray();
        return matching.Length > 0 ? Pick(matching).Path : Pick(fields).Path;
    }

    private string Num(IReadOnlyList<FieldPath> fields) => Field(fields, ValueKinds.Number);

    private string Str(IReadOnlyList<FieldPath> fields) => Field(fields, ValueKinds.String);

    private string Bool(IReadOnlyList<FieldPath> fields) => Field(fields, ValueKinds.Boolean);

    private string Scalars(IReadOnlyList<FieldPath> fields) => Field(fields, ValueKinds.ArrayOfScalars);

    private string Any(IReadOnlyList<FieldPath> fields) => Pick(fields).Path;

    /// <summary>A string-valued expression over <paramref name="fields"/>: a string field, or a number made a string.</summary>
    private string StrExpr(IReadOnlyList<FieldPath> fields) =>
        Chance(0.85) ? Str(fields) : $"$string({Num(fields)})";

    // ---- literals ------------------------------------------------------------------------------------------------

    private static readonly string[] NumberLiterals =
        ["0", "1", "2", "3", "5", "10", "-1", "0.5", "0.1", "2.5", "100", "1000", "1e3", "1.5e-3", "42", "-7.25", "3.14159", "1e21", "0.07", "50000"];

    private static readonly string[] StringValues =
        ["Gold", "Silver", "paid", "open", "void", "Engineering", "Sales", "EMEA", "vip", "login", "contact.updated", "usd",
         "EUR", "", "a", "é", "😀", "x y", "O'Brien", "Zürich", "lead", "customer", "Closed Won", "cus_alpha", "ß", "\"q\""];

    private string NumLit() => Pick(NumberLiterals);

    private string SmallInt() => random.Next(0, 6).ToString(CultureInfo.InvariantCulture);

    private string StrLit() => Quote(Pick(StringValues));

    /// <summary>A literal that occurs at <paramref name="field"/> in some payload (70%), else a stock literal of the same type.</summary>
    private string SampleOf(FieldPath? field, ValueKinds want)
    {
        var samples = field?.Samples.Where(s => s.GetValueKind() == (want == ValueKinds.Number ? System.Text.Json.JsonValueKind.Number : System.Text.Json.JsonValueKind.String)).ToArray() ?? [];
        if (samples.Length == 0 || Chance(0.3)) return want == ValueKinds.Number ? NumLit() : StrLit();
        var sample = Pick(samples);
        return want == ValueKinds.Number ? sample.ToJsonString() : Quote(sample.GetValue<string>());
    }

    /// <summary>Picks a field holding <paramref name="want"/> and returns its path and a literal seen there.</summary>
    private (string Path, string Literal) FieldAndSample(IReadOnlyList<FieldPath> fields, ValueKinds want)
    {
        var matching = fields.Where(f => f.Has(want)).ToArray();
        if (matching.Length == 0 || Chance(0.04)) return (Field(fields, want), want == ValueKinds.Number ? NumLit() : StrLit());
        var field = Pick(matching);
        return (field.Path, SampleOf(field, want));
    }

    private string Literal() => random.Next(6) switch
    {
        0 => NumLit(),
        1 => StrLit(),
        2 => OneOf("true", "false"),
        3 => "null",
        4 => $"[{NumLit()}, {StrLit()}]",
        _ => $"{{\"k\": {NumLit()}}}",
    };

    /// <summary>A JSONata string literal, quoted with whichever quote the text needs least, escapes as JSON does.</summary>
    private string Quote(string text)
    {
        var quote = Chance(0.5) ? '"' : '\'';
        var sb = new StringBuilder().Append(quote);
        foreach (var c in text)
        {
            if (c == quote || c == '\\') sb.Append('\\');
            sb.Append(c);
        }

        return sb.Append(quote).ToString();
    }

    // ---- shared building blocks ----------------------------------------------------------------------------------

    private string Comparator() => OneOf("=", "!=", "<", "<=", ">", ">=");

    /// <summary>A predicate over the fields of one collection element.</summary>
    private string Predicate(IReadOnlyList<FieldPath> fields, int depth = 0)
    {
        var choice = random.Next(depth > 1 ? 9 : 11);
        var (numPath, numSample) = FieldAndSample(fields, ValueKinds.Number);
        var (strPath, strSample) = FieldAndSample(fields, ValueKinds.String);
        return choice switch
        {
            0 => $"{numPath} {Comparator()} {numSample}",
            1 => $"{strPath} {OneOf("=", "=", "!=")} {strSample}",
            2 => Bool(fields),
            3 => $"$not({Bool(fields)})",
            4 => $"{strPath} in [{strSample}, {StrLit()}, {SampleOf(fields.FirstOrDefault(f => f.Path == strPath), ValueKinds.String)}]",
            5 => $"$exists({Any(fields)})",
            6 => $"$contains({Str(fields)}, {Quote(OneOf("a", "e", "o", "ü", "@", "_", "Gold"))})",
            7 => $"{Any(fields)} = null",
            8 => $"{Num(fields)} {Comparator()} {Num(fields)}",
            9 => $"{Predicate(fields, depth + 1)} and {Predicate(fields, depth + 1)}",
            _ => $"({Predicate(fields, depth + 1)} or {Predicate(fields, depth + 1)})",
        };
    }

    /// <summary>A numeric expression over element fields (for sort keys, aggregates and arithmetic).</summary>
    private string NumExpr(IReadOnlyList<FieldPath> fields, int depth = 0) => random.Next(depth > 1 ? 3 : 6) switch
    {
        0 or 1 => Num(fields),
        2 => NumLit(),
        3 => $"{NumExpr(fields, depth + 1)} {OneOf("+", "-", "*", "/")} {NumExpr(fields, depth + 1)}",
        4 => $"-{Num(fields)}",
        _ => $"({NumExpr(fields, depth + 1)} {OneOf("+", "-", "*", "%")} {NumLit()})",
    };
}
