using System.Runtime.CompilerServices;

namespace IntegrationHealth.Jsonata.Parsing;

/// <summary>
/// Post-parse rewrite (jsonata's <c>processAST</c>): flattens <c>.</c> chains into paths of steps, attaches
/// predicates as stages, marks tuple-stream steps for <c>@</c>/<c>#</c>/<c>%</c>, resolves parent slots and marks
/// tail calls in lambda bodies as thunks for the trampoline.
/// </summary>
internal sealed partial class AstBuilder
{
    private int _ancestorLabel;
    private int _ancestorIndex;
    private readonly List<Node> _ancestry = [];

    public Node Build(Node raw)
    {
        var expr = Process(raw);
        MarkSimplePaths(expr);
        if (expr.Type == NodeType.Parent || expr.SeekingParent is not null)
        {
            throw new JsonataException("S0217", "The object representing the 'parent' cannot be derived from this expression",
                expr.Position, TypeName(expr.Type));
        }

        return expr;
    }

    private static string TypeName(NodeType type) => type.ToString().ToLowerInvariant();

    private static Node TailCallOptimize(Node expr)
    {
        switch (expr.Type)
        {
            case NodeType.Function when expr.Predicate is null:
                return new Node { Type = NodeType.Lambda, Thunk = true, Arguments = [], Position = expr.Position, Body = expr };
            case NodeType.Condition:
                expr.Then = TailCallOptimize(expr.Then!);
                if (expr.Else is not null)
                {
                    expr.Else = TailCallOptimize(expr.Else);
                }

                return expr;
            case NodeType.Block:
                if (expr.Expressions!.Count > 0)
                {
                    expr.Expressions[^1] = TailCallOptimize(expr.Expressions[^1]);
                }

                return expr;
            default:
                return expr;
        }
    }

    private Node Process(Node expr)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new JsonataException("U1001", "Expression is nested too deeply", expr.Position);
        }

        Node result;
        switch (expr.Type)
        {
            case NodeType.Binary:
                result = ProcessBinary(expr);
                break;
            case NodeType.Unary:
                result = new Node { Type = NodeType.Unary, Value = expr.Value, Position = expr.Position };
                if (expr.Op == "[")
                {
                    result.Expressions = [];
                    foreach (var item in expr.Expressions!)
                    {
                        var value = Process(item);
                        PushAncestry(result, value);
                        result.Expressions.Add(value);
                    }
                }
                else if (expr.Op == "{")
                {
                    result.Pairs = [];
                    foreach (var (k, v) in expr.Pairs!)
                    {
                        var key = Process(k);
                        PushAncestry(result, key);
                        var value = Process(v);
                        PushAncestry(result, value);
                        result.Pairs.Add((key, value));
                    }

                    result.ConstantKeys = ConstantKeysOf(result.Pairs);
                }
                else
                {
                    result.Expression = Process(expr.Expression!);
                    if (expr.Op == "-" && result.Expression.Type == NodeType.Number)
                    {
                        result = result.Expression;
                        result.Value = -(double)result.Value!;
                    }
                    else
                    {
                        PushAncestry(result, result.Expression);
                    }
                }

                break;
            case NodeType.Function:
            case NodeType.Partial:
                result = new Node { Type = expr.Type, Value = expr.Value, Position = expr.Position, Arguments = [] };
                foreach (var arg in expr.Arguments!)
                {
                    var argAst = Process(arg);
                    PushAncestry(result, argAst);
                    result.Arguments.Add(argAst);
                }

                result.Procedure = Process(expr.Procedure!);
                break;
            case NodeType.Lambda:
                result = new Node
                {
                    Type = NodeType.Lambda,
                    Arguments = expr.Arguments,
                    Signature = expr.Signature,
                    Position = expr.Position,
                };
                result.Body = TailCallOptimize(Process(expr.Body!));
                break;
            case NodeType.Condition:
                result = new Node { Type = NodeType.Condition, Position = expr.Position };
                result.Condition = Process(expr.Condition!);
                PushAncestry(result, result.Condition);
                result.Then = Process(expr.Then!);
                PushAncestry(result, result.Then);
                if (expr.Else is not null)
                {
                    result.Else = Process(expr.Else);
                    PushAncestry(result, result.Else);
                }

                break;
            case NodeType.Transform:
                result = new Node { Type = NodeType.Transform, Position = expr.Position };
                result.Pattern = Process(expr.Pattern!);
                result.Update = Process(expr.Update!);
                if (expr.Delete is not null)
                {
                    result.Delete = Process(expr.Delete);
                }

                break;
            case NodeType.Block:
                result = new Node { Type = NodeType.Block, Position = expr.Position, Expressions = [] };
                foreach (var item in expr.Expressions!)
                {
                    var part = Process(item);
                    PushAncestry(result, part);
                    if (part.ConsArray || (part.Type == NodeType.Path && part.Steps![0].ConsArray))
                    {
                        result.ConsArray = true;
                    }

                    result.Expressions.Add(part);
                }

                break;
            case NodeType.Name:
                result = new Node { Type = NodeType.Path, Steps = [expr], Position = expr.Position };
                if (expr.KeepArray)
                {
                    result.KeepSingletonArray = true;
                }

                break;
            case NodeType.Parent:
                result = new Node
                {
                    Type = NodeType.Parent,
                    Position = expr.Position,
                    Slot = new AncestorSlot { Label = "!" + _ancestorLabel++, Level = 1, Index = _ancestorIndex++ },
                };
                _ancestry.Add(result);
                break;
            case NodeType.String:
            case NodeType.Number:
            case NodeType.Value:
            case NodeType.Wildcard:
            case NodeType.Descendant:
            case NodeType.Variable:
            case NodeType.Regex:
                result = expr;
                break;
            case NodeType.Operator:
                if (expr.Value is "and" or "or" or "in")
                {
                    expr.Type = NodeType.Name;
                    result = Process(expr);
                }
                else if (expr.Value is "?")
                {
                    result = expr;
                }
                else
                {
                    throw new JsonataException("S0201", "Syntax error", expr.Position, expr.Value as string);
                }

                break;
            default:
            {
                var code = expr.Type == NodeType.End ? "S0207" : "S0206";
                throw new JsonataException(code, code == "S0207" ? "Unexpected end of expression" : "Unknown expression type",
                    expr.Position, expr.Value as string);
            }
        }

        if (expr.KeepArray)
        {
            result.KeepArray = true;
        }

        return result;
    }

    private Node ProcessBinary(Node expr)
    {
        Node result;
        switch (expr.Op)
        {
            case ".":
            {
                var lstep = Process(expr.Lhs!);
                result = lstep.Type == NodeType.Path ? lstep : new Node { Type = NodeType.Path, Steps = [lstep], Position = lstep.Position };
                if (lstep.Type == NodeType.Parent)
                {
                    result.SeekingParent = [lstep.Slot!];
                }

                var rest = Process(expr.Rhs!);
                if (rest.Type == NodeType.Path)
                {
                    result.Steps!.AddRange(rest.Steps!);
                }
                else
                {
                    if (rest.Predicate is not null)
                    {
                        rest.Stages = rest.Predicate;
                        rest.Predicate = null;
                    }

                    result.Steps!.Add(rest);
                }

                foreach (var step in result.Steps!)
                {
                    if (step.Type is NodeType.Number or NodeType.Value)
                    {
                        throw new JsonataException("S0213", "The literal value cannot be used as a step within a path expression",
                            step.Position, value: step.Value);
                    }

                    if (step.Type == NodeType.String)
                    {
                        step.Type = NodeType.Name;
                    }
                }

                if (result.Steps.Any(s => s.KeepArray))
                {
                    result.KeepSingletonArray = true;
                }

                var first = result.Steps[0];
                if (first.Type == NodeType.Unary && first.Op == "[")
                {
                    first.ConsArray = true;
                }

                var last = result.Steps[^1];
                if (last.Type == NodeType.Unary && last.Op == "[")
                {
                    last.ConsArray = true;
                }

                ResolveAncestry(result);
                break;
            }

            case "[":
            {
                result = Process(expr.Lhs!);
                var step = result;
                var usesStages = false;
                if (result.Type == NodeType.Path)
                {
                    step = result.Steps![^1];
                    usesStages = true;
                }

                if (step.Group is not null)
                {
                    throw new JsonataException("S0209", "A predicate cannot follow a grouping expression in a step", expr.Position);
                }

                var predicate = Process(expr.Rhs!);
                if (predicate.SeekingParent is not null)
                {
                    foreach (var slot in predicate.SeekingParent)
                    {
                        if (slot.Level == 1)
                        {
                            SeekParent(step, slot);
                        }
                        else
                        {
                            slot.Level--;
                        }
                    }

                    PushAncestry(step, predicate);
                }

                var stage = new Stage { Expression = predicate, Position = expr.Position };
                if (usesStages)
                {
                    (step.Stages ??= []).Add(stage);
                }
                else
                {
                    (step.Predicate ??= []).Add(stage);
                }

                break;
            }

            case "{":
            {
                result = Process(expr.Lhs!);
                if (result.Group is not null)
                {
                    throw new JsonataException("S0210", "Each step can only have one grouping expression", expr.Position);
                }

                var groupPairs = expr.Pairs!.Select(p => (Process(p.Key), Process(p.Value))).ToList();
                result.Group = new GroupSpec
                {
                    Pairs = groupPairs,
                    Position = expr.Position,
                    ConstantKeys = ConstantKeysOf(groupPairs),
                };
                break;
            }

            case "^":
            {
                result = Process(expr.Lhs!);
                if (result.Type != NodeType.Path)
                {
                    result = new Node { Type = NodeType.Path, Steps = [result], Position = result.Position };
                }

                var sortStep = new Node { Type = NodeType.Sort, Position = expr.Position, Terms = [] };
                foreach (var (descending, termExpr) in expr.RawTerms!)
                {
                    var expression = Process(termExpr);
                    PushAncestry(sortStep, expression);
                    sortStep.Terms.Add(new SortTerm { Descending = descending, Expression = expression });
                }

                result.Steps!.Add(sortStep);
                ResolveAncestry(result);
                break;
            }

            case ":=":
                result = new Node { Type = NodeType.Bind, Value = expr.Value, Position = expr.Position };
                result.Lhs = Process(expr.Lhs!);
                result.Rhs = Process(expr.Rhs!);
                PushAncestry(result, result.Rhs);
                break;
            case "@":
            {
                result = Process(expr.Lhs!);
                var step = result;
                if (result.Type == NodeType.Path)
                {
                    step = result.Steps![^1];
                }

                if (step.Stages is not null || step.Predicate is not null)
                {
                    throw new JsonataException("S0215", "A context variable binding must precede any predicates on a step", expr.Position);
                }

                if (step.Type == NodeType.Sort)
                {
                    throw new JsonataException("S0216", "A context variable binding must precede the 'order-by' clause on a step", expr.Position);
                }

                if (expr.KeepArray)
                {
                    step.KeepArray = true;
                }

                step.Focus = (string)expr.Rhs!.Value!;
                step.Tuple = true;
                break;
            }

            case "#":
            {
                result = Process(expr.Lhs!);
                var step = result;
                if (result.Type == NodeType.Path)
                {
                    step = result.Steps![^1];
                }
                else
                {
                    result = new Node { Type = NodeType.Path, Steps = [result], Position = result.Position };
                    if (step.Predicate is not null)
                    {
                        step.Stages = step.Predicate;
                        step.Predicate = null;
                    }
                }

                if (step.Stages is null)
                {
                    step.IndexVariable = (string)expr.Rhs!.Value!;
                }
                else
                {
                    step.Stages.Add(new Stage { IsIndex = true, IndexVariable = (string)expr.Rhs!.Value!, Position = expr.Position });
                }

                step.Tuple = true;
                break;
            }

            case "~>":
                result = new Node { Type = NodeType.Apply, Value = expr.Value, Position = expr.Position };
                result.Lhs = Process(expr.Lhs!);
                result.Rhs = Process(expr.Rhs!);
                result.KeepArray = result.Lhs.KeepArray || result.Rhs.KeepArray;
                break;
            default:
                result = new Node { Type = NodeType.Binary, Value = expr.Value, Position = expr.Position };
                result.Lhs = Process(expr.Lhs!);
                result.Rhs = Process(expr.Rhs!);
                PushAncestry(result, result.Lhs);
                PushAncestry(result, result.Rhs);
                break;
        }

        return result;
    }
}
