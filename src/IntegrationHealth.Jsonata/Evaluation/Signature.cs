using System.Text;
using System.Text.RegularExpressions;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Evaluation;

/// <summary>
/// A function signature such as <c>&lt;s-n?:s&gt;</c>: validates arguments by matching a string of type symbols
/// against a regular expression, substitutes the context value for a missing <c>-</c> parameter and wraps single
/// values passed where an array is expected.
/// </summary>
internal sealed class Signature
{
    private sealed class Param
    {
        public string Regex = "";
        public string Type = "";
        public bool IsArray;
        public bool UsesContext;
        public string? ContextTypes;
        public string? Subtype;
    }

    private readonly List<Param> _params;

    /// <summary>Per parameter: the type symbols it accepts and how many arguments it may take.</summary>
    private readonly (string Allowed, int Min, int Max)[] _matchers;

    private Signature(string definition, List<Param> parameters)
    {
        Definition = definition;
        _params = parameters;
        _matchers = new (string, int, int)[parameters.Count];
        for (var i = 0; i < parameters.Count; i++)
        {
            // Param.Regex is a single class ("[sm]", "f") plus an optional quantifier (?, +, or ?? for "-?").
            var regex = parameters[i].Regex;
            var body = regex.TrimEnd('?', '+');
            var quantifiers = regex[body.Length..];
            var allowed = body.StartsWith('[') ? body[1..^1] : body;
            var min = quantifiers.Contains('?', StringComparison.Ordinal) ? 0 : 1;
            var max = quantifiers.Contains('+', StringComparison.Ordinal) ? int.MaxValue : 1;
            _matchers[i] = (allowed, min, max);
        }
    }

    /// <summary>Matches argument symbols against the parameters (greedy with backtracking, like the regex it replaces).</summary>
    private bool TryMatch(ReadOnlySpan<char> symbols, int paramIndex, int[] counts)
    {
        if (paramIndex == _matchers.Length)
        {
            return symbols.Length == 0;
        }

        var (allowed, min, max) = _matchers[paramIndex];
        var available = 0;
        while (available < symbols.Length && available < max && allowed.Contains(symbols[available]))
        {
            available++;
        }

        for (var take = available; take >= min; take--)
        {
            if (TryMatch(symbols[take..], paramIndex + 1, counts))
            {
                counts[paramIndex] = take;
                return true;
            }
        }

        return false;
    }

    public string Definition { get; }

    /// <summary>Number of declared parameters.</summary>
    public int ParameterCount => _params.Count;

    /// <summary>Parses a signature; throws S0401/S0402 with <c>offset</c> in <see cref="JsonataException.Value"/>.</summary>
    public static Signature Parse(string signature, int basePosition = 0)
    {
        var position = 1;
        var parameters = new List<Param>();
        var param = new Param();
        var prev = param;
        while (position < signature.Length)
        {
            var symbol = signature[position];
            if (symbol == ':')
            {
                break;
            }

            switch (symbol)
            {
                case 's':
                case 'n':
                case 'b':
                case 'l':
                case 'o':
                    param.Regex = "[" + symbol + "m]";
                    param.Type = symbol.ToString();
                    Next();
                    break;
                case 'a':
                    param.Regex = "[asnblfom]";
                    param.Type = "a";
                    param.IsArray = true;
                    Next();
                    break;
                case 'f':
                    param.Regex = "f";
                    param.Type = "f";
                    Next();
                    break;
                case 'j':
                    param.Regex = "[asnblom]";
                    param.Type = "j";
                    Next();
                    break;
                case 'x':
                    param.Regex = "[asnblfom]";
                    param.Type = "x";
                    Next();
                    break;
                case '-':
                    prev.UsesContext = true;
                    prev.ContextTypes = prev.Regex.StartsWith('[') ? prev.Regex[1..prev.Regex.IndexOf(']')] : prev.Regex[..1];
                    prev.Regex += "?";
                    break;
                case '?':
                case '+':
                    prev.Regex += symbol;
                    break;
                case '(':
                {
                    var end = FindClosing(signature, position, '(', ')');
                    var choice = signature.Substring(position + 1, end - position - 1);
                    if (choice.Contains('<', StringComparison.Ordinal))
                    {
                        throw new JsonataException("S0402", "Choice groups containing parameterized types are not supported", basePosition + position, value: choice);
                    }

                    param.Regex = "[" + choice + "m]";
                    param.Type = "(" + choice + ")";
                    position = end;
                    Next();
                    break;
                }

                case '<':
                    if (prev.Type is "a" or "f")
                    {
                        var end = FindClosing(signature, position, '<', '>');
                        prev.Subtype = signature.Substring(position + 1, end - position - 1);
                        position = end;
                    }
                    else
                    {
                        throw new JsonataException("S0401", "Type parameters can only be applied to functions and arrays", basePosition + position, value: prev.Type);
                    }

                    break;
            }

            position++;
        }

        return new Signature(signature, parameters);

        void Next()
        {
            parameters.Add(param);
            prev = param;
            param = new Param();
        }
    }

    private static int FindClosing(string str, int start, char open, char close)
    {
        var depth = 1;
        var position = start;
        while (position < str.Length)
        {
            position++;
            if (position >= str.Length)
            {
                break;
            }

            var symbol = str[position];
            if (symbol == close)
            {
                depth--;
                if (depth == 0)
                {
                    break;
                }
            }
            else if (symbol == open)
            {
                depth++;
            }
        }

        return position;
    }

    /// <summary>The one-letter type symbol used in signatures.</summary>
    public static char SymbolOf(object? value) => value switch
    {
        null => 'm',
        FunctionValue => 'f',
        string => 's',
        double => 'n',
        bool => 'b',
        NullValue => 'l',
        ArrayValue => 'a',
        _ => 'o',
    };

    /// <summary>Validates <paramref name="args"/> and returns the argument list the function receives.</summary>
    public object?[] Validate(object?[] args, object? context)
    {
        Span<char> buffer = args.Length <= 64 ? stackalloc char[args.Length] : new char[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            buffer[i] = SymbolOf(args[i]);
        }

        var counts = new int[_matchers.Length];
        if (!TryMatch(buffer, 0, counts))
        {
            ThrowValidationError(args, new string(buffer));
        }

        var validated = new List<object?>(_params.Count);
        var argIndex = 0;
        var consumed = 0;
        for (var index = 0; index < _params.Count; index++)
        {
            var param = _params[index];
            var arg = argIndex < args.Length ? args[argIndex] : null;
            var matched = buffer.Slice(consumed, counts[index]);
            consumed += counts[index];
            if (matched.Length == 0)
            {
                if (param.UsesContext && param.ContextTypes is not null)
                {
                    var contextType = SymbolOf(context);
                    if (param.ContextTypes.Contains(contextType))
                    {
                        validated.Add(context);
                    }
                    else
                    {
                        throw new JsonataException("T0411", $"Context value is not a compatible type with argument {argIndex + 1} of function", value: context)
                            .WithIndex(argIndex + 1);
                    }
                }
                else
                {
                    validated.Add(arg);
                    argIndex++;
                }

                continue;
            }

            foreach (var single in matched)
            {
                arg = argIndex < args.Length ? args[argIndex] : null;
                if (param.Type == "a")
                {
                    if (single == 'm')
                    {
                        arg = null;
                    }
                    else
                    {
                        var arrayOk = true;
                        if (param.Subtype is not null)
                        {
                            if (single != 'a' && !matched.SequenceEqual(param.Subtype))
                            {
                                arrayOk = false;
                            }
                            else if (single == 'a' && arg is ArrayValue arr && arr.Count > 0)
                            {
                                var itemType = SymbolOf(arr[0]);
                                if (itemType != param.Subtype[0])
                                {
                                    arrayOk = false;
                                }
                                else
                                {
                                    foreach (var item in arr)
                                    {
                                        if (SymbolOf(item) != itemType)
                                        {
                                            arrayOk = false;
                                            break;
                                        }
                                    }
                                }
                            }
                        }

                        if (!arrayOk)
                        {
                            var typeName = param.Subtype switch
                            {
                                "a" => "arrays",
                                "b" => "booleans",
                                "f" => "functions",
                                "n" => "numbers",
                                "o" => "objects",
                                "s" => "strings",
                                _ => param.Subtype,
                            };
                            throw new JsonataException("T0412", $"Argument {argIndex + 1} of function must be an array of {typeName}", value: arg)
                                .WithIndex(argIndex + 1);
                        }

                        if (single != 'a')
                        {
                            arg = new ArrayValue(1) { arg };
                        }
                    }
                }

                validated.Add(arg);
                argIndex++;
            }
        }

        return validated.ToArray();
    }

    private void ThrowValidationError(object?[] args, string supplied)
    {
        var partial = "^";
        var goodTo = 0;
        foreach (var p in _params)
        {
            partial += p.Regex;
            var m = Regex.Match(supplied, partial, RegexOptions.CultureInvariant);
            if (!m.Success)
            {
                break;
            }

            goodTo = m.Length;
        }

        throw new JsonataException("T0410", $"Argument {goodTo + 1} of function does not match function signature",
            value: goodTo < args.Length ? args[goodTo] : null).WithIndex(goodTo + 1);
    }
}
