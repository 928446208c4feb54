using System.Runtime.CompilerServices;

namespace IntegrationHealth.Jsonata.Parsing;

/// <summary>Compile-time facts that let the evaluator take shortcuts without changing results.</summary>
internal sealed partial class AstBuilder
{
    /// <summary>The keys of an object constructor whose keys are all distinct string literals, else null.</summary>
    private static string[]? ConstantKeysOf(List<(Node Key, Node Value)> pairs)
    {
        var keys = new string[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            if (pairs[i].Key.Type != NodeType.String || pairs[i].Key.Predicate is not null || pairs[i].Key.Group is not null)
            {
                return null;
            }

            keys[i] = (string)pairs[i].Key.Value!;
        }

        return keys.Distinct(StringComparer.Ordinal).Count() == keys.Length ? keys : null;
    }

    private static bool IsPlainStep(Node step) =>
        step.Stages is null && step.Predicate is null && step.Group is null && step.Focus is null && step.IndexVariable is null
        && !step.Tuple && step.Ancestor is null && !step.KeepArray && !step.ConsArray;

    /// <summary>Marks single-field paths and chains of plain fields (<c>name</c> with no predicates, bindings or grouping) after all rewrites.</summary>
    private static void MarkSimplePaths(Node? node)
    {
        if (node is null || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return;
        }

        if (node.Type == NodeType.Path && !node.KeepSingletonArray && !node.KeepArray && node.Group is null && !node.Tuple
            && node.Predicate is null && node.Steps is { Count: > 0 } steps)
        {
            if (steps is [{ Type: NodeType.Name } step] && IsPlainStep(step))
            {
                node.SimpleName = (string)step.Value!;
            }
            else if (steps.Count > 1 && steps.Select((s, i) => (s.Type == NodeType.Name || (i == 0 && s.Type == NodeType.Variable)) && IsPlainStep(s)).All(plain => plain))
            {
                node.SimpleSteps = true;
            }
        }

        foreach (var child in new[] { node.Lhs, node.Rhs, node.Expression, node.Condition, node.Then, node.Else, node.Pattern, node.Update, node.Delete, node.Procedure, node.Body })
        {
            MarkSimplePaths(child);
        }

        foreach (var list in new[] { node.Expressions, node.Steps, node.Arguments })
        {
            if (list is not null)
            {
                foreach (var child in list)
                {
                    MarkSimplePaths(child);
                }
            }
        }

        if (node.Pairs is not null)
        {
            foreach (var (k, v) in node.Pairs)
            {
                MarkSimplePaths(k);
                MarkSimplePaths(v);
            }
        }

        if (node.Group is not null)
        {
            foreach (var (k, v) in node.Group.Pairs)
            {
                MarkSimplePaths(k);
                MarkSimplePaths(v);
            }
        }

        foreach (var stages in new[] { node.Predicate, node.Stages })
        {
            if (stages is not null)
            {
                foreach (var stage in stages)
                {
                    MarkSimplePaths(stage.Expression);
                }
            }
        }

        if (node.Terms is not null)
        {
            foreach (var term in node.Terms)
            {
                MarkSimplePaths(term.Expression);
            }
        }
    }
}
