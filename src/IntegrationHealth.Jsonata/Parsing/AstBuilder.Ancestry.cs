namespace IntegrationHealth.Jsonata.Parsing;

/// <summary>Resolution of the parent operator <c>%</c>: which ancestor step each parent reference binds to.</summary>
internal sealed partial class AstBuilder
{
    private AncestorSlot SeekParent(Node node, AncestorSlot slot)
    {
        switch (node.Type)
        {
            case NodeType.Name:
            case NodeType.Wildcard:
                slot.Level--;
                if (slot.Level == 0)
                {
                    if (node.Ancestor is null)
                    {
                        node.Ancestor = slot;
                    }
                    else
                    {
                        _ancestry[slot.Index].Slot!.Label = node.Ancestor.Label;
                        node.Ancestor = slot;
                    }

                    node.Tuple = true;
                }

                break;
            case NodeType.Parent:
                slot.Level++;
                break;
            case NodeType.Block:
                if (node.Expressions!.Count > 0)
                {
                    node.Tuple = true;
                    slot = SeekParent(node.Expressions[^1], slot);
                }

                break;
            case NodeType.Path:
            {
                node.Tuple = true;
                var index = node.Steps!.Count - 1;
                slot = SeekParent(node.Steps[index--], slot);
                while (slot.Level > 0 && index >= 0)
                {
                    slot = SeekParent(node.Steps[index--], slot);
                }

                break;
            }

            default:
                throw new JsonataException("S0217", "The object representing the 'parent' cannot be derived from this expression",
                    node.Position, TypeName(node.Type));
        }

        return slot;
    }

    private static void PushAncestry(Node result, Node value)
    {
        if (value.SeekingParent is not null || value.Type == NodeType.Parent)
        {
            var slots = value.SeekingParent ?? [];
            if (value.Type == NodeType.Parent)
            {
                slots.Add(value.Slot!);
            }

            if (result.SeekingParent is null)
            {
                result.SeekingParent = slots;
            }
            else
            {
                result.SeekingParent.AddRange(slots);
            }
        }
    }

    private void ResolveAncestry(Node path)
    {
        var steps = path.Steps!;
        var index = steps.Count - 1;
        var lastStep = steps[index];
        var slots = lastStep.SeekingParent ?? [];
        if (lastStep.Type == NodeType.Parent)
        {
            slots.Add(lastStep.Slot!);
        }

        foreach (var s in slots.ToList())
        {
            var slot = s;
            index = steps.Count - 2;
            while (slot.Level > 0)
            {
                if (index < 0)
                {
                    path.SeekingParent ??= [];
                    path.SeekingParent.Add(slot);
                    break;
                }

                var step = steps[index--];
                while (index >= 0 && step.Focus is not null && steps[index].Focus is not null)
                {
                    step = steps[index--];
                }

                slot = SeekParent(step, slot);
            }
        }
    }
}
