using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace IntegrationHealth.Jsonata.Parsing;

/// <summary>Splits an expression into tokens on demand, as jsonata's tokenizer does (regex vs divide depends on position).</summary>
internal sealed partial class Lexer(string source)
{
    private readonly string _source = source;
    private int _position;

    /// <summary>Binding powers of operators; characters in this table also end a name token.</summary>
    public static readonly Dictionary<string, int> Operators = new(StringComparer.Ordinal)
    {
        ["."] = 75, ["["] = 80, ["]"] = 0, ["{"] = 70, ["}"] = 0, ["("] = 80, [")"] = 0, [","] = 0, ["@"] = 80,
        ["#"] = 80, [";"] = 80, [":"] = 80, ["?"] = 20, ["+"] = 50, ["-"] = 50, ["*"] = 60, ["/"] = 60, ["%"] = 60,
        ["|"] = 20, ["="] = 40, ["<"] = 40, [">"] = 40, ["^"] = 40, ["**"] = 60, [".."] = 20, [":="] = 10,
        ["!="] = 40, ["<="] = 40, [">="] = 40, ["~>"] = 40, ["?:"] = 40, ["??"] = 40, ["and"] = 30, ["or"] = 25,
        ["in"] = 40, ["&"] = 50, ["!"] = 0, ["~"] = 0,
    };

    private static bool IsOperatorChar(char c) => c switch
    {
        '.' or '[' or ']' or '{' or '}' or '(' or ')' or ',' or '@' or '#' or ';' or ':' or '?' or '+' or '-' or '*'
            or '/' or '%' or '|' or '=' or '<' or '>' or '^' or '&' or '!' or '~' => true,
        _ => false,
    };

    private static readonly string[] SingleCharOperators = Enumerable.Range(0, 128).Select(c => ((char)c).ToString()).ToArray();

    private static string OperatorText(char c) => c < 128 ? SingleCharOperators[c] : c.ToString();

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v';

    /// <summary>Offset just after the last token read; jsonata reports token positions this way.</summary>
    public int Position => _position;

    private char At(int i) => i < _source.Length && i >= 0 ? _source[i] : '\0';

    /// <summary>Returns the next token, or null at the end. <paramref name="infix"/> true means '/' is division.</summary>
    public Token? Next(bool infix)
    {
        while (true)
        {
            if (_position >= _source.Length)
            {
                return null;
            }

            var c = _source[_position];
            while (_position < _source.Length && IsWhitespace(c))
            {
                _position++;
                c = At(_position);
            }

            if (c == '/' && At(_position + 1) == '*')
            {
                var commentStart = _position;
                _position += 2;
                c = At(_position);
                while (!(c == '*' && At(_position + 1) == '/'))
                {
                    c = At(++_position);
                    if (_position >= _source.Length)
                    {
                        throw new JsonataException("S0106", "Comment has no closing tag", commentStart);
                    }
                }

                _position += 2;
                continue;
            }

            break;
        }

        var ch = At(_position);
        if (!infix && ch == '/')
        {
            _position++;
            return ScanRegex();
        }

        var start = _position;
        var two = (ch, At(_position + 1)) switch
        {
            ('.', '.') => "..",
            (':', '=') => ":=",
            ('!', '=') => "!=",
            ('>', '=') => ">=",
            ('<', '=') => "<=",
            ('*', '*') => "**",
            ('~', '>') => "~>",
            ('?', ':') => "?:",
            ('?', '?') => "??",
            _ => null,
        };
        if (two is not null)
        {
            _position += 2;
            return new Token(TokenType.Operator, two, start);
        }

        if (_position < _source.Length && IsOperatorChar(ch))
        {
            _position++;
            return new Token(TokenType.Operator, OperatorText(ch), start);
        }

        if (ch is '"' or '\'')
        {
            return ScanString(ch);
        }

        var numberMatch = char.IsAsciiDigit(ch) ? NumberPattern().Match(_source, _position) : System.Text.RegularExpressions.Match.Empty;
        if (numberMatch.Success && _position < _source.Length)
        {
            var num = double.Parse(numberMatch.Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (double.IsNaN(num) || double.IsInfinity(num))
            {
                throw new JsonataException("S0102", "Number out of range", _position, numberMatch.Value);
            }

            _position += numberMatch.Length;
            return new Token(TokenType.Number, num, start);
        }

        if (ch == '`')
        {
            _position++;
            var end = _source.IndexOf('`', _position);
            if (end != -1)
            {
                var quoted = _source[_position..end];
                _position = end + 1;
                return new Token(TokenType.Name, quoted, start);
            }

            _position = _source.Length;
            throw new JsonataException("S0105", "Quoted property name must be terminated with a backquote (`)", _position);
        }

        var i = _position;
        while (true)
        {
            if (i >= _source.Length || IsWhitespace(_source[i]) || IsOperatorChar(_source[i]))
            {
                if (At(_position) == '$')
                {
                    var variable = _source.Substring(_position + 1, i - _position - 1);
                    _position = i;
                    return new Token(TokenType.Variable, variable, start);
                }

                var name = _source[_position..i];
                _position = i;
                switch (name)
                {
                    case "or":
                    case "in":
                    case "and":
                        return new Token(TokenType.Operator, name, start);
                    case "true":
                        return new Token(TokenType.Value, true, start);
                    case "false":
                        return new Token(TokenType.Value, false, start);
                    case "null":
                        return new Token(TokenType.Value, null, start);
                    default:
                        if (_position >= _source.Length && name.Length == 0)
                        {
                            return null;
                        }

                        return new Token(TokenType.Name, name, start);
                }
            }

            i++;
        }
    }

    private Token ScanString(char quote)
    {
        var start = _position;
        _position++;
        var sb = new StringBuilder();
        while (_position < _source.Length)
        {
            var c = _source[_position];
            if (c == '\\')
            {
                _position++;
                c = At(_position);
                switch (c)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                    {
                        var hex = _position + 5 <= _source.Length ? _source.Substring(_position + 1, 4) : "";
                        if (hex.Length == 4 && HexPattern().IsMatch(hex))
                        {
                            sb.Append((char)int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                            _position += 4;
                        }
                        else
                        {
                            throw new JsonataException("S0104", "The escape sequence \\u must be followed by 4 hex digits", _position);
                        }

                        break;
                    }

                    default:
                        throw new JsonataException("S0103", "Unsupported escape sequence", _position, c.ToString());
                }
            }
            else if (c == quote)
            {
                _position++;
                return new Token(TokenType.String, sb.ToString(), start);
            }
            else
            {
                sb.Append(c);
            }

            _position++;
        }

        throw new JsonataException("S0101", "String literal must be terminated by a matching quote", _position);
    }

    private Token ScanRegex()
    {
        var start = _position;
        var depth = 0;
        while (_position < _source.Length)
        {
            var c = _source[_position];
            if (IsClosingSlash(_position, depth))
            {
                var pattern = _source[start.._position];
                if (pattern.Length == 0)
                {
                    throw new JsonataException("S0301", "Empty regular expressions are not allowed", _position);
                }

                _position++;
                var flagStart = _position;
                while (At(_position) is 'i' or 'm')
                {
                    _position++;
                }

                var flags = _source[flagStart.._position] + "g";
                return new Token(TokenType.Regex, new RegexLiteral(pattern, flags), start - 1);
            }

            if (c is '(' or '[' or '{' && At(_position - 1) != '\\')
            {
                depth++;
            }

            if (c is ')' or ']' or '}' && At(_position - 1) != '\\')
            {
                depth--;
            }

            _position++;
        }

        throw new JsonataException("S0302", "No terminating / in regular expression", _position);
    }

    private bool IsClosingSlash(int position, int depth)
    {
        if (_source[position] == '/' && depth == 0)
        {
            var backslashes = 0;
            while (At(position - (backslashes + 1)) == '\\')
            {
                backslashes++;
            }

            return backslashes % 2 == 0;
        }

        return false;
    }

    [GeneratedRegex(@"\G-?(0|([1-9][0-9]*))(\.[0-9]+)?([Ee][-+]?[0-9]+)?")]
    private static partial Regex NumberPattern();

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex HexPattern();
}
