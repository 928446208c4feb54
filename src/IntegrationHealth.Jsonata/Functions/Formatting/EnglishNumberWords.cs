using System.Text;
using System.Text.RegularExpressions;
using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>
/// English number words as jsonata-js writes and reads them: British style ("one hundred and one"), commas between
/// magnitude groups, "trillion" as the largest word (so 1e15 is "one thousand trillion").
/// </summary>
internal static class EnglishNumberWords
{
    private static readonly string[] Few =
    [
        "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
        "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen",
    ];

    private static readonly string[] Ordinals =
    [
        "Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
        "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth",
    ];

    private static readonly string[] Decades = ["Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"];

    private static readonly string[] Magnitudes = ["Thousand", "Million", "Billion", "Trillion"];

    private static readonly Regex WordSplitter = new(@",\s|\sand\s|[\s\\-]", RegexOptions.CultureInvariant);

    // Word -> value, and the words in jsonata-js's insertion order: the parse regex is an alternation of them, and
    // alternation order decides how a backtracking matcher splits adjacent date/time fields.
    private static readonly (Dictionary<string, double> Values, List<string> Order) Lexicon = BuildLexicon();

    /// <summary>Regex fragment matching a run of number words (used when parsing date/time strings).</summary>
    public static string MatchPattern { get; } =
        "(?:" + string.Join("|", Lexicon.Order.Select(Regex.Escape).Append("and").Append(@"[\-, ]")) + ")+";

    /// <summary>Writes a non-negative integer in words, title case ("Twenty-First" when <paramref name="ordinal"/>).</summary>
    public static string ToWords(double value, bool ordinal)
    {
        var words = new StringBuilder();
        AppendWords(words, value, false, ordinal);
        return words.ToString();
    }

    /// <summary>Reads lower-case number words; NaN when a word is unknown (as jsonata-js).</summary>
    public static double FromWords(string lowerCaseText)
    {
        var segments = new List<double> { 0 };
        foreach (var part in WordSplitter.Split(lowerCaseText))
        {
            var value = Lexicon.Values.TryGetValue(part, out var known) ? known : double.NaN;
            if (value < 100)
            {
                var top = segments[^1];
                segments.RemoveAt(segments.Count - 1);
                if (top >= 1000)
                {
                    segments.Add(top);
                    top = 0;
                }

                segments.Add(top + value);
            }
            else
            {
                // Also reached by an unknown word (NaN), which poisons the sum exactly as in jsonata-js.
                segments[^1] *= value;
            }
        }

        return segments.Sum();
    }

    private static void AppendWords(StringBuilder words, double num, bool prev, bool ordinal)
    {
        if (num <= 19)
        {
            words.Append(prev ? " and " : "").Append(ordinal ? Ordinals[(int)num] : Few[(int)num]);
        }
        else if (num < 100)
        {
            var tens = (int)Math.Floor(num / 10);
            var remainder = num % 10;
            words.Append(prev ? " and " : "").Append(Decades[tens - 2]);
            if (remainder > 0)
            {
                words.Append('-');
                AppendWords(words, remainder, false, ordinal);
            }
            else if (ordinal)
            {
                words.Length--;
                words.Append("ieth");
            }
        }
        else if (num < 1000)
        {
            var hundreds = (int)Math.Floor(num / 100);
            var remainder = num % 100;
            words.Append(prev ? ", " : "").Append(Few[hundreds]).Append(" Hundred");
            if (remainder > 0)
            {
                AppendWords(words, remainder, true, ordinal);
            }
            else if (ordinal)
            {
                words.Append("th");
            }
        }
        else
        {
            var magnitude = (int)Math.Floor(Math.Log10(num) / 3);
            if (magnitude > Magnitudes.Length)
            {
                magnitude = Magnitudes.Length;
            }

            var factor = JsMath.Pow(10, magnitude * 3);
            var mantissa = Math.Floor(num / factor);
            var remainder = num - (mantissa * factor);
            words.Append(prev ? ", " : "");
            AppendWords(words, mantissa, false, false);
            words.Append(' ').Append(Magnitudes[magnitude - 1]);
            if (remainder > 0)
            {
                AppendWords(words, remainder, true, ordinal);
            }
            else if (ordinal)
            {
                words.Append("th");
            }
        }
    }

    private static (Dictionary<string, double>, List<string>) BuildLexicon()
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        void Add(string word, double value)
        {
            if (values.TryAdd(word, value))
            {
                order.Add(word);
            }
            else
            {
                values[word] = value;
            }
        }

        for (var i = 0; i < Few.Length; i++)
        {
            Add(Few[i].ToLowerInvariant(), i);
        }

        for (var i = 0; i < Ordinals.Length; i++)
        {
            Add(Ordinals[i].ToLowerInvariant(), i);
        }

        for (var i = 0; i < Decades.Length; i++)
        {
            var word = Decades[i].ToLowerInvariant();
            Add(word, (i + 2) * 10);
            Add(word[..^1] + "ieth", (i + 2) * 10);
        }

        Add("hundredth", 100);
        for (var i = 0; i < Magnitudes.Length; i++)
        {
            var word = Magnitudes[i].ToLowerInvariant();
            var value = JsMath.Pow(10, (i + 1) * 3);
            Add(word, value);
            Add(word + "th", value);
        }

        return (values, order);
    }
}
