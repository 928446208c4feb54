using IntegrationHealth.Jsonata.Evaluation;

namespace IntegrationHealth.Jsonata.Parsing;

internal enum NodeType
{
    Path,
    Binary,
    Unary,
    Name,
    String,
    Number,
    Value,
    Wildcard,
    Descendant,
    Parent,
    Condition,
    Block,
    Bind,
    Regex,
    Function,
    Variable,
    Lambda,
    Partial,
    Apply,
    Transform,
    Sort,
    /// <summary>An operator token used as an operand: <c>and</c>/<c>or</c>/<c>in</c> as names, or the <c>?</c> placeholder.</summary>
    Operator,
    /// <summary>The end-of-input token reached where an operand was expected.</summary>
    End,
}

/// <summary>A label the parent operator <c>%</c> resolves to: the ancestor step that binds it.</summary>
internal sealed class AncestorSlot
{
    public required string Label { get; set; }

    public int Level { get; set; }

    public int Index { get; init; }
}

/// <summary>A predicate filter or a positional (#) binding applied to a step's results.</summary>
internal sealed class Stage
{
    public bool IsIndex { get; init; }

    public Node? Expression { get; init; }

    public string? IndexVariable { get; init; }

    public int Position { get; init; }
}

internal sealed class SortTerm
{
    public bool Descending { get; init; }

    public required Node Expression { get; init; }
}

internal sealed class GroupSpec
{
    public required List<(Node Key, Node Value)> Pairs { get; init; }

    /// <summary>The keys when every key is a distinct string literal (no key evaluation or clash checks needed).</summary>
    public string[]? ConstantKeys { get; init; }

    public int Position { get; init; }
}

/// <summary>
/// A syntax-tree node. The Pratt parser builds raw nodes; <see cref="AstBuilder"/> rewrites them into the form the
/// evaluator runs (paths of steps with stages, tuple flags, parent slots). After compilation nodes are never mutated,
/// so one tree is safely shared by concurrent evaluations.
/// </summary>
internal sealed class Node
{
    public NodeType Type { get; set; }

    /// <summary>Operator text for operators; literal value (string, double, bool, null) for literals; name for names/variables.</summary>
    public object? Value { get; set; }

    public int Position { get; set; }

    public string Op => Value as string ?? "";

    public Node? Lhs { get; set; }

    public Node? Rhs { get; set; }

    public Node? Expression { get; set; }

    public Node? Condition { get; set; }

    public Node? Then { get; set; }

    public Node? Else { get; set; }

    public Node? Pattern { get; set; }

    public Node? Update { get; set; }

    public Node? Delete { get; set; }

    public Node? Procedure { get; set; }

    public Node? Body { get; set; }

    public List<Node>? Expressions { get; set; }

    public List<Node>? Steps { get; set; }

    public List<Node>? Arguments { get; set; }

    /// <summary>Name/value pairs of an object constructor (raw form, and unary <c>{</c> after processing).</summary>
    public List<(Node Key, Node Value)>? Pairs { get; set; }

    /// <summary>Raw order-by terms (before processing).</summary>
    public List<(bool Descending, Node Expression)>? RawTerms { get; set; }

    public List<SortTerm>? Terms { get; set; }

    public GroupSpec? Group { get; set; }

    public List<Stage>? Predicate { get; set; }

    public List<Stage>? Stages { get; set; }

    public string? Focus { get; set; }

    public string? IndexVariable { get; set; }

    public bool Tuple { get; set; }

    public AncestorSlot? Ancestor { get; set; }

    public AncestorSlot? Slot { get; set; }

    public List<AncestorSlot>? SeekingParent { get; set; }

    public bool KeepArray { get; set; }

    public bool KeepSingletonArray { get; set; }

    public bool ConsArray { get; set; }

    public bool Thunk { get; set; }

    public Signature? Signature { get; set; }

    /// <summary>For object constructors: the keys when every key is a distinct string literal.</summary>
    public string[]? ConstantKeys { get; set; }

    /// <summary>For a path that is a single plain field name: that name (lets the evaluator skip sequence plumbing).</summary>
    public string? SimpleName { get; set; }

    /// <summary>For a path of several steps that are all plain field names (the first may be a variable) with no
    /// predicates, bindings or grouping: it is a chain of lookups while no step yields an array.</summary>
    public bool SimpleSteps { get; set; }

    /// <summary>Compiled regular expression for regex literals.</summary>
    public JsRegex? Regex { get; set; }

    /// <summary>Deep copy of a raw node (the <c>?:</c> and <c>??</c> operators evaluate their left side twice).</summary>
    public Node Clone()
    {
        var copy = (Node)MemberwiseClone();
        copy.Lhs = Lhs?.Clone();
        copy.Rhs = Rhs?.Clone();
        copy.Expression = Expression?.Clone();
        copy.Condition = Condition?.Clone();
        copy.Then = Then?.Clone();
        copy.Else = Else?.Clone();
        copy.Pattern = Pattern?.Clone();
        copy.Update = Update?.Clone();
        copy.Delete = Delete?.Clone();
        copy.Procedure = Procedure?.Clone();
        copy.Body = Body?.Clone();
        copy.Expressions = Expressions?.Select(e => e.Clone()).ToList();
        copy.Steps = Steps?.Select(e => e.Clone()).ToList();
        copy.Arguments = Arguments?.Select(e => e.Clone()).ToList();
        copy.Pairs = Pairs?.Select(p => (p.Key.Clone(), p.Value.Clone())).ToList();
        copy.RawTerms = RawTerms?.Select(t => (t.Descending, t.Expression.Clone())).ToList();
        return copy;
    }
}
