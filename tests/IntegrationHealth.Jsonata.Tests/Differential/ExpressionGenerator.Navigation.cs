namespace IntegrationHealth.Jsonata.Tests.Differential;

// Families that navigate the document: paths, array indexes, predicates, wildcards, descendants, parent, bindings.
public sealed partial class ExpressionGenerator
{
    private string Paths(Vocabulary v)
    {
        var c = PickCollection(v);
        return random.Next(14) switch
        {
            0 => Any(v.Root),
            1 => $"$.{Any(v.Root)}",
            2 => $"{c.Path}[{random.Next(-3, 5)}]",
            3 => $"{c.Path}[{random.Next(0, 4)}].{Any(c.Fields)}",
            4 => $"{c.Path}.{Any(c.Fields)}[{random.Next(-2, 3)}]",
            5 => $"{c.Path}[[{random.Next(0, 2)}..{random.Next(1, 4)}]].{Any(c.Fields)}",
            6 => $"{c.Path}.{Any(c.Fields)}[]",
            7 => $"{c.Path}[]",
            8 => $"({c.Path}.{Any(c.Fields)})[{random.Next(-2, 4)}]",
            9 => $"{c.Path}.{Scalars(c.Fields)}",
            10 => $"{c.Path}.[{Any(c.Fields)}, {Any(c.Fields)}]",
            11 => $"{c.Path}[{random.Next(0, 3)}.{random.Next(0, 9)}]",
            12 => $"{c.Path}.{Any(c.Fields)}.$string()",
            _ => $"{c.Path}#$i[$i {Comparator()} {SmallInt()}].{Any(c.Fields)}",
        };
    }

    private string Predicates(Vocabulary v)
    {
        var c = PickArrayCollection(v);
        return random.Next(10) switch
        {
            0 => $"{c.Path}[{Predicate(c.Fields)}]",
            1 => $"{c.Path}[{Predicate(c.Fields)}].{Any(c.Fields)}",
            2 => $"$count({c.Path}[{Predicate(c.Fields)}])",
            3 => $"{c.Path}[{Predicate(c.Fields)}][{random.Next(-1, 2)}]",
            4 => $"{c.Path}[{Predicate(c.Fields)}][{Predicate(c.Fields)}].{Any(c.Fields)}",
            5 => $"{c.Path}[{Num(c.Fields)}]",
            6 => $"{c.Path}[{Str(c.Fields)}]",
            7 => $"{c.Path}@$e[$e.{Num(c.Fields)} {Comparator()} {NumLit()}].{{ 'k': $e.{Any(c.Fields)} }}",
            8 => Join(v),
            _ => ScalarMembership(c),
        };
    }

    /// <summary>A join of a collection with a collection nested in it through context-variable bindings (<c>@$p</c>).</summary>
    private string Join(Vocabulary v)
    {
        var pairs = v.Collections
            .SelectMany(parent => v.Collections.Where(child => child.Path.StartsWith(parent.Path + ".", StringComparison.Ordinal)), (parent, child) => (parent, child))
            .ToArray();
        if (pairs.Length == 0) return $"{v.Collections[0].Path}@$e.{{ 'k': $e.{Any(v.Collections[0].Fields)} }}";
        var (p, c) = Pick(pairs);
        var relative = c.Path[(p.Path.Length + 1)..];
        // After "@$p" the context stays where it was, so the nested step must start from $p explicitly.
        var step = Chance(0.5) ? $"$p.{relative}" : $"($p.{relative})";
        var predicate = Chance(0.6) ? $"[$c.{Predicate(c.Fields)}]" : "";
        return $"{p.Path}@$p.{step}@$c{predicate}.{{ 'parent': $p.{Any(p.Fields)}, 'child': $c.{Any(c.Fields)} }}";
    }

    /// <summary>Elements whose array-of-scalars field (tags, skills, changes) contains a value seen there.</summary>
    private string ScalarMembership(Collection c)
    {
        var (path, sample) = FieldAndSample(c.Fields.Where(f => f.Has(ValueKinds.ArrayOfScalars)).DefaultIfEmpty(Pick(c.Fields)).ToArray(), ValueKinds.String);
        return $"{c.Path}[{OneOf($"{path} = {sample}", $"{sample} in {path}")}].{Any(c.Fields)}";
    }

    private string Wildcards(Vocabulary v)
    {
        var c = PickCollection(v);
        var leaf = Pick(c.Fields).Path.Split('.')[^1];
        return random.Next(11) switch
        {
            0 => "*",
            1 => $"{c.Path}.*",
            2 => $"{c.Path}[0].*",
            3 => $"**.{leaf}",
            4 => $"$count(**.{leaf})",
            5 => $"{c.Path}.*[{random.Next(0, 3)}]",
            6 => $"*.{leaf}",
            7 => $"{c.Path}.{Any(c.Fields)}.%",
            8 => $"{c.Path}.{Any(c.Fields)}.%.{Any(c.Fields)}",
            9 => $"$distinct(**[$type($) = 'string'])[[0..3]]",
            _ => $"$count({c.Path}.**)",
        };
    }
}
