namespace IntegrationHealth.Jsonata.Tests.Differential;

/// <summary>
/// Finds array or object constructors with more than one item in expression text. jsonata-js 2.2.2 evaluates such
/// items concurrently (<c>Promise.all</c> in its evaluator), so when two items fail, which error surfaces depends on
/// how many awaits each took: a scheduling artefact, not JSONata semantics a port should copy.
/// </summary>
public static class ConstructorScan
{
    /// <summary>True when some <c>[...]</c> or <c>{...}</c> in <paramref name="expression"/> has a comma at its own level.</summary>
    public static bool HasMultiItemConstructor(string expression)
    {
        var stack = new Stack<(char Open, bool HasComma)>();
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            switch (c)
            {
                case '"' or '\'' or '`':
                    i = SkipQuoted(expression, i, c);
                    break;
                case '[' or '{' or '(':
                    stack.Push((c, false));
                    break;
                case ',' when stack.Count > 0:
                    var top = stack.Pop();
                    stack.Push((top.Open, true));
                    break;
                case ']' or '}' or ')' when stack.Count > 0:
                    var closed = stack.Pop();
                    if (closed.HasComma && closed.Open != '(') return true;
                    break;
            }
        }

        return false;
    }

    private static int SkipQuoted(string text, int start, char quote)
    {
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\' && quote != '`') i++;
            else if (text[i] == quote) return i;
        }

        return text.Length;
    }
}
