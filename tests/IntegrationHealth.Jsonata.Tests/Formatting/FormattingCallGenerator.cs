using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IntegrationHealth.Jsonata.Tests.Formatting;

/// <summary>
/// Generates random, deterministic (per seed) calls of the formatting functions with literal arguments, aimed at
/// the edges: half-way rounding, negative and huge numbers, malformed pictures, leap days, ISO week boundaries,
/// far-past and far-future instants, half-hour and negative timezones, round trips through the parsers.
/// </summary>
public sealed class FormattingCallGenerator(int seed)
{
    private static readonly string[] NumberPictures =
    [
        "#,##0.00", "#,###.00", "0", "0.0", "#", "#.#", "000", "0000.000", "#,##0", "#,##0.###", "#0%", "#0.0%", "#0‰",
        "0.00e0", "00.000e000", "#.00e0", ".00e0", "#.e9", "0e0", "##0.00e00", "$#,##0.00;($#,##0.00)", "#,##0;-#",
        "9,9,99.99", "9,999.999,999", "#,######", "##,##,##0.00", "PREFIX##00.000###SUFFIX", "0.000###", "#.###",
        "###pm", "#;#;#", "#.0.0", "#0%%", "#0%‰", ".e0", "0+.e0", "0,.e0", "0,", "0#.e0", "#0.#0e0", "#0.0e0%",
        "#0.0e0,0", "%%", "---", "0.00;0.00-", "€ #,##0.00", "#,##0.00 USD", "00,000", "0,0,0,0",
    ];

    private static readonly string[] IntegerPictures =
    [
        "0", "00", "000", "0000", "#0", "###0", "#,##0", "#,###,##0", "##,##,##0", "#:###,##0", "0;o", "#0;o", "#,##0;o",
        "w", "W", "Ww", "w;o", "W;o", "Ww;o", "i", "I", "a", "A", "١", "###١", "###０", "०००", "#,##0;c", "α", "##0０",
        "0 000", "#.##0", "0'000",
    ];

    private static readonly string[] Markers =
    [
        "[Y]", "[Y0001]", "[Y01]", "[Y,2]", "[Y,*-2]", "[Y##01,2-2]", "[YI]", "[Yi]", "[Yw]", "[Y1o]", "[M]", "[M01]",
        "[MNn]", "[MN]", "[Mn]", "[MNn,3-3]", "[MI]", "[Ma]", "[MA]", "[D]", "[D01]", "[D1o]", "[Dwo]", "[DWwo]", "[D#1,2]",
        "[d]", "[d001]", "[dwo]", "[F]", "[F1]", "[FNn]", "[FN,3-3]", "[Fn,*-2]", "[W]", "[W01]", "[w]", "[X]", "[X0001]",
        "[x]", "[xNn]", "[H]", "[H01]", "[h]", "[h#1]", "[P]", "[PN]", "[Pn]", "[m]", "[m01]", "[s]", "[s01]", "[f]",
        "[f001]", "[f01]", "[Z]", "[Z01:01]", "[Z0101t]", "[Z0]", "[Z01]", "[Z01:01t]", "[z]", "[z01:01]", "[C]", "[E]",
    ];

    private static readonly string[] Separators = ["-", "/", " ", ", ", "T", ":", ".", " of ", "", "W"];

    private static readonly string?[] Timezones = [null, null, "+0000", "0000", "-0500", "+0100", "+0530", "-0530", "+1245", "-1000", "+0000"];

    // Pictures that pin a full date (and often a time), so parsing never falls back to "now".
    private static readonly string[] RoundTripPictures =
    [
        "[Y0001]-[M01]-[D01]", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]", "[Y0001][M01][D01][H01][m01][s01]",
        "[D1o] [MNn] [Y0001]", "[D01]/[M01]/[Y0001] [h]:[m01] [P]", "[Dw] [MNn] [Yw]", "[Y0001]-[d001]", "[Y]--[d]",
        "[D1] [MNn,3-3] [Y0001]", "[FNn], [D1o] [MNn] [Y]", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]",
        "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z]", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z0001]", "[D1] [Mi] [YI]",
        "[Da] [MA] [Yi]", "[YI]-[M01]-[D01]",
    ];

    private readonly Random random = new(seed);

    /// <summary><paramref name="count"/> expressions, spread over the five functions.</summary>
    public IReadOnlyList<string> Generate(int count)
    {
        var calls = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            calls.Add((i % 6) switch
            {
                0 => FormatNumberCall(),
                1 => FormatIntegerCall(),
                2 => ParseIntegerCall(),
                3 or 4 => FromMillisCall(),
                _ => ToMillisCall(),
            });
        }

        return calls;
    }

    private string FormatNumberCall()
    {
        var picture = random.Next(5) == 0 ? RandomNumberPicture() : Pick(NumberPictures);
        var options = random.Next(8) switch
        {
            0 => ", {\"decimal-separator\": \",\", \"grouping-separator\": \".\"}",
            1 => ", {\"zero-digit\": \"\u0660\"}",
            2 => ", {\"minus-sign\": \"\u2212\", \"percent\": \"pct\"}",
            3 => ", {\"exponent-separator\": \"E\"}",
            _ => "",
        };
        if (options.Contains("decimal-separator", StringComparison.Ordinal))
        {
            picture = picture.Replace('.', '!').Replace(',', '.').Replace('!', ',');
        }
        else if (options.Contains("E\"", StringComparison.Ordinal))
        {
            picture = picture.Replace('e', 'E');
        }

        return $"$formatNumber({NumberLiteral(RandomNumber())}, {Quote(picture)}{options})";
    }

    private string FormatIntegerCall() =>
        $"$formatInteger({NumberLiteral(RandomInteger())}, {Quote(Pick(IntegerPictures))})";

    private string ParseIntegerCall()
    {
        var picture = Pick(IntegerPictures);
        var value = NumberLiteral(Math.Abs(RandomInteger()) % 5_000_000);
        return random.Next(4) == 0
            ? $"$parseInteger({Quote(RandomText())}, {Quote(picture)})"
            : $"$parseInteger($formatInteger({value}, {Quote(picture)}), {Quote(picture)})";
    }

    private string FromMillisCall()
    {
        var millis = RandomMillis();
        var timezone = Pick(Timezones);
        if (random.Next(8) == 0)
        {
            return timezone is null ? $"$fromMillis({millis})" : $"$fromMillis({millis}, (), {Quote(timezone)})";
        }

        var picture = new StringBuilder();
        var markers = random.Next(1, 6);
        for (var i = 0; i < markers; i++)
        {
            picture.Append(Pick(Markers));
            if (i < markers - 1)
            {
                picture.Append(Pick(Separators));
            }
        }

        return timezone is null
            ? $"$fromMillis({millis}, {Quote(picture.ToString())})"
            : $"$fromMillis({millis}, {Quote(picture.ToString())}, {Quote(timezone)})";
    }

    private string ToMillisCall()
    {
        if (random.Next(3) == 0)
        {
            return $"$toMillis({Quote(RandomIsoText())})";
        }

        var picture = Pick(RoundTripPictures);
        var millis = random.Next(3) == 0 ? RandomMillis() : (long)(random.NextDouble() * 4e12) - 1_000_000_000_000;
        var timezone = Pick(Timezones);
        return timezone is null
            ? $"$toMillis($fromMillis({millis}, {Quote(picture)}), {Quote(picture)})"
            : $"$toMillis($fromMillis({millis}, {Quote(picture)}, {Quote(timezone)}), {Quote(picture)})";
    }

    private double RandomNumber() => random.Next(10) switch
    {
        0 => Pick([0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 1.005, 0.045, 1e20, 1.23e-7, 123456.789, -0.0001, 999.9995, 0.0005]),
        1 => random.Next(-1000, 1000),
        2 => Math.Round((random.NextDouble() - 0.5) * 2e6, random.Next(0, 6)),
        3 => (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-8, 16)),
        4 => random.Next(-100, 100) + 0.5,
        _ => Math.Round((random.NextDouble() - 0.4) * Math.Pow(10, random.Next(0, 9)), random.Next(0, 4)),
    };

    private double RandomInteger() => random.Next(8) switch
    {
        0 => Pick([0.0, 1, 11, 12, 13, 21, 101, 111, 112, 1000, 1001, 3999, 4000, 1e15, 1000000000001, -7]),
        1 => random.Next(-100, 100),
        2 => random.Next(0, 100_000) + (random.Next(2) == 0 ? 0.5 : 0.0),
        3 => Math.Floor(random.NextDouble() * 1e12),
        _ => random.Next(0, 100_000_000),
    };

    private long RandomMillis() => random.Next(6) switch
    {
        // Around ISO-week and leap-day boundaries.
        0 => Pick(new[] { 946684800000L, 951782400000L, 1104537600000L, 1136073600000L, 1230681600000L, 1262217600000L, 1456704000000L, 4107456000000L, 1451606400000L, -2208988800000L })
            + random.Next(-4, 5) * 86_400_000L + random.Next(0, 86_400_000),
        1 => (long)((random.NextDouble() - 0.5) * 2e14), // years ~ -1200 .. 5100
        2 => (long)((random.NextDouble() - 0.5) * 1.7e16), // towards the JS range limits
        3 => -62_198_755_200_000L + random.Next(-1000, 1000) * 86_400_000L, // around year 0
        _ => (long)(random.NextDouble() * 4e12) - 500_000_000_000,
    };

    private string RandomIsoText()
    {
        // Node's fallback parser (offsets or fractions without a time, two-digit years) is only partly emulated,
        // so those shapes are generated only where the emulation is exact.
        var hasTime = random.Next(3) > 0;
        var year = random.Next(hasTime ? 0 : 100, 10000).ToString("0000", CultureInfo.InvariantCulture);
        string Two(int max) => random.Next(0, max).ToString("00", CultureInfo.InvariantCulture);
        var text = new StringBuilder(year);
        if (random.Next(5) > 0) text.Append('-').Append(Two(14));
        if (random.Next(4) > 0) text.Append('-').Append(Two(34));
        if (hasTime) text.Append('T').Append(Two(26)).Append(':').Append(Two(60)).Append(':').Append(Two(60));
        if (hasTime && random.Next(3) == 0) text.Append('.').Append(random.Next(0, 100000).ToString(CultureInfo.InvariantCulture));
        text.Append(random.Next(6) switch
        {
            0 => "Z",
            1 when hasTime => "+" + Two(25) + ":" + Two(60),
            2 when hasTime => "-" + Two(24) + Two(60),
            3 => " ",
            _ => "",
        });
        return text.ToString();
    }

    private string RandomNumberPicture()
    {
        const string alphabet = "#0,.e%;9X-";
        var picture = new StringBuilder();
        var length = random.Next(1, 9);
        for (var i = 0; i < length; i++)
        {
            picture.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return picture.ToString();
    }

    private string RandomText() => Pick(["", "12", "abc", "1,234", "xiv", "XIV", "twenty one", "forty-second", "zz", "12th", "٣٤", "1.5"]);

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string NumberLiteral(double value) =>
        value < 0 || (value == 0 && double.IsNegative(value))
            ? "-" + NumberLiteral(-value)
            : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string text) => JsonSerializer.Serialize(text);
}
