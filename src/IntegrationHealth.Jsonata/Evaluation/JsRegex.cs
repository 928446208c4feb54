using System.Text;
using System.Text.RegularExpressions;
using IntegrationHealth.Jsonata.Parsing;

namespace IntegrationHealth.Jsonata.Evaluation;

/// <summary>
/// A JavaScript regular expression translated to .NET: <c>\d</c>/<c>\w</c> are ASCII, <c>.</c> excludes all
/// line terminators, <c>$</c> matches only at the very end (or before a line terminator with the m flag), and
/// <c>[^]</c>/<c>[]</c> keep their JavaScript meaning.
/// </summary>
internal sealed class JsRegex
{
    /// <summary>Granularity of the match timeouts derived from an evaluation's remaining time (see <see cref="For"/>).</summary>
    private const int BudgetStepMs = 25;

    private const int CachedBudgets = 8;

    private readonly string _translated;
    private readonly RegexOptions _options;

    /// <summary>Instances for the remaining-time budgets met so far; replaced whole, so readers need no lock.</summary>
    private volatile (int TimeoutMs, Regex Regex)[] _budgeted = [];

    private int _nextSlot;

    private JsRegex(Regex regex, string translated, RegexOptions options, string source)
    {
        Regex = regex;
        _translated = translated;
        _options = options;
        Source = source;
    }

    /// <summary>The instance with the fixed <see cref="MatchTimeout"/>, for evaluations without a timeout.</summary>
    public Regex Regex { get; }

    /// <summary>The JavaScript pattern text.</summary>
    public string Source { get; }

    public static JsRegex Create(RegexLiteral literal)
    {
        var options = RegexOptions.CultureInvariant;
        var multiline = literal.Flags.Contains('m', StringComparison.Ordinal);
        if (literal.Flags.Contains('i', StringComparison.Ordinal))
        {
            options |= RegexOptions.IgnoreCase;
        }

        if (multiline)
        {
            options |= RegexOptions.Multiline;
        }

        try
        {
            var translated = Translate(literal.Pattern, multiline);
            return new JsRegex(new Regex(translated, options, MatchTimeout), translated, options, literal.Pattern);
        }
        catch (ArgumentException ex)
        {
            throw new JsonataException("S0302", "Invalid regular expression: " + ex.Message, -1, literal.Pattern);
        }
    }

    /// <summary>Bounds catastrophic backtracking when the evaluation has no timeout of its own; a match that runs
    /// longer fails the evaluation with U1001.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The instance to match with when <paramref name="remainingMs"/> of the evaluation's time budget are left: its
    /// match timeout is the remaining time rounded down to 25 ms (so a match never outlives the evaluation's deadline,
    /// and stops at most 25 ms early). .NET fixes a regex's timeout at construction, so one instance is kept per
    /// budget step met, a few per expression; a repeated evaluation with the same timeout reuses them.
    /// </summary>
    public Regex For(long remainingMs)
    {
        var timeoutMs = (int)Math.Clamp(remainingMs >= BudgetStepMs ? remainingMs / BudgetStepMs * BudgetStepMs : remainingMs, 1, int.MaxValue - 1);
        var budgeted = _budgeted;
        foreach (var (ms, regex) in budgeted)
        {
            if (ms == timeoutMs)
            {
                return regex;
            }
        }

        var created = new Regex(_translated, _options, TimeSpan.FromMilliseconds(timeoutMs));
        var next = budgeted.Length < CachedBudgets ? new (int, Regex)[budgeted.Length + 1] : ((int, Regex)[])budgeted.Clone();
        if (budgeted.Length < CachedBudgets)
        {
            budgeted.CopyTo(next, 0);
            next[^1] = (timeoutMs, created);
        }
        else
        {
            // Races only cost a duplicate instance or a lost entry, never a wrong one.
            next[(int)((uint)Interlocked.Increment(ref _nextSlot) % CachedBudgets)] = (timeoutMs, created);
        }

        _budgeted = next;
        return created;
    }

    private const string LineTerminators = @"\n\r\u2028\u2029";

    private const string JsWhiteSpace = @"\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";

    internal static string Translate(string pattern, bool multiline)
    {
        var sb = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        var groupCount = 0;
        var groupNames = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var n = pattern[i + 1];
                i++;
                switch (n)
                {
                    case 'k' when !inClass && i + 1 < pattern.Length && pattern[i + 1] == '<':
                    {
                        // Named backreference: groups become numbered (JavaScript numbers them left to right).
                        var close = pattern.IndexOf('>', i + 1);
                        var name = close > 0 ? pattern[(i + 2)..close] : "";
                        if (close > 0 && groupNames.TryGetValue(name, out var number))
                        {
                            sb.Append('\\').Append(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                            i = close;
                        }
                        else
                        {
                            sb.Append('k');
                        }

                        break;
                    }

                    case 'p' or 'P' or 'a' or 'e' or 'A' or 'z' or 'Z' or 'G' or 'k' or 'K' or 'g' or 'h' or 'H' or 'i' or 'I'
                        or 'j' or 'J' or 'l' or 'L' or 'm' or 'M' or 'N' or 'o' or 'O' or 'q' or 'Q' or 'R' or 'T' or 'U'
                        or 'V' or 'X' or 'y' or 'Y' or 'E' or 'C' or 'F':
                        // Not an escape in JavaScript (without the u flag): the letter itself.
                        sb.Append(n);
                        break;
                    case 'd':
                        sb.Append(inClass ? "0-9" : "[0-9]");
                        break;
                    case 'D':
                        sb.Append(inClass ? @"\D" : "[^0-9]");
                        break;
                    case 'w':
                        // (?-i:) because .NET would widen [a-z] with the i flag (k also matching the Kelvin sign).
                        sb.Append(inClass ? "a-zA-Z0-9_" : "(?-i:[a-zA-Z0-9_])");
                        break;
                    case 'W':
                        sb.Append(inClass ? @"\W" : "(?-i:[^a-zA-Z0-9_])");
                        break;
                    case 'b' when !inClass:
                        // JavaScript's word boundary is between ASCII word characters and anything else; .NET's \b is
                        // Unicode-aware (no boundary between "İ" and "s" in "İstanbul").
                        sb.Append("(?-i:(?<=[a-zA-Z0-9_])(?![a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?=[a-zA-Z0-9_]))");
                        break;
                    case 'B' when !inClass:
                        sb.Append("(?-i:(?<=[a-zA-Z0-9_])(?=[a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?![a-zA-Z0-9_]))");
                        break;
                    case 's':
                        // JavaScript's WhiteSpace and LineTerminator set: .NET's \s adds U+0085 and lacks U+FEFF.
                        sb.Append(inClass ? JsWhiteSpace : "[" + JsWhiteSpace + "]");
                        break;
                    case 'S' when !inClass:
                        sb.Append("[^" + JsWhiteSpace + "]");
                        break;
                    case 'u' when i + 4 < pattern.Length + 0 && IsHex(pattern, i + 1, 4):
                        sb.Append("\\u").Append(pattern, i + 1, 4);
                        i += 4;
                        break;
                    case '/':
                        sb.Append('/');
                        break;
                    default:
                        sb.Append('\\').Append(n);
                        break;
                }

                continue;
            }

            if (inClass)
            {
                if (c == ']')
                {
                    inClass = false;
                }
                else if (c == '[')
                {
                    // A literal '[' inside a JS class; .NET would read "[:" or subtraction syntax specially.
                    sb.Append("\\[");
                    continue;
                }

                sb.Append(c);
                continue;
            }

            switch (c)
            {
                case '[':
                    if (i + 2 < pattern.Length + 1 && pattern.AsSpan(i).StartsWith("[^]"))
                    {
                        sb.Append(@"[\s\S]");
                        i += 2;
                    }
                    else if (pattern.AsSpan(i).StartsWith("[]"))
                    {
                        sb.Append("(?!)");
                        i += 1;
                    }
                    else
                    {
                        inClass = true;
                        sb.Append('[');
                        if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                        {
                            sb.Append('^');
                            i++;
                        }

                        if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                        {
                            sb.Append("\\]");
                            i++;
                        }
                    }

                    break;
                case '.':
                    sb.Append("[^").Append(LineTerminators).Append(']');
                    break;
                case '$':
                    sb.Append(multiline ? "(?=[" + LineTerminators + "]|\\z)" : "\\z");
                    break;
                case '^' when multiline:
                    sb.Append("(?<=^|[" + LineTerminators + "])");
                    break;
                case '(' when i + 2 < pattern.Length && pattern[i + 1] == '?' && pattern[i + 2] == '<'
                                                     && i + 3 < pattern.Length && pattern[i + 3] is not ('=' or '!'):
                {
                    // Named group: .NET numbers named groups after unnamed ones, JavaScript in order of appearance,
                    // so emit a plain capturing group and remember its number for \k<name>.
                    var close = pattern.IndexOf('>', i + 3);
                    groupCount++;
                    if (close > 0)
                    {
                        groupNames[pattern[(i + 3)..close]] = groupCount;
                        i = close;
                    }

                    sb.Append('(');
                    break;
                }

                case '(':
                    if (i + 1 >= pattern.Length || pattern[i + 1] != '?')
                    {
                        groupCount++;
                    }

                    sb.Append(c);
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }

    private static bool IsHex(string s, int start, int count)
    {
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiHexDigit(s[i]))
            {
                return false;
            }
        }

        return true;
    }
}
