using System.Text;
using System.Text.RegularExpressions;
using IntegrationHealth.Jsonata.Functions.Formatting;

namespace IntegrationHealth.Jsonata.Tests.Formatting;

/// <summary>
/// The hand-written ISO 8601 shape check of <c>$toMillis</c> against the regex it replaced (jsonata-js's shape, with
/// ASCII digits and a true end anchor): same verdict and same captures, on hand-picked backtracking cases and on
/// generated near-timestamps.
/// </summary>
public sealed partial class IsoShapeTests
{
    [GeneratedRegex(@"^(?<year>[0-9]{4})(?:-(?<month>[01][0-9]))?(?:-(?<day>[0-3][0-9]))?(?<time>T(?<hour>[0-2][0-9]):(?<minute>[0-5][0-9]):(?<second>[0-5][0-9]))?(?<fraction>\.[0-9]+)?(?<zone>[+-][0-2][0-9]:?[0-5][0-9]|Z)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Oracle();

    [Theory]
    [InlineData("2018")]
    [InlineData("2018-05")]
    [InlineData("2018-26")] // no month: the day group takes it
    [InlineData("2018-05-0530")] // day would leave "30": the regex backtracks to month + zone -05:30
    [InlineData("2018-05-05-0530")]
    [InlineData("2018-05-05T10:11:12.123456+05:30")]
    [InlineData("2018-05-05T10:11:12Z")]
    [InlineData("2018-05-05T10:11:12+0530")]
    [InlineData("2018-05-05T10:11:12+05:3")]
    [InlineData("2018-05-05T10:11:12+05:")]
    [InlineData("2018.5")]
    [InlineData("2018-03.5Z")]
    [InlineData("2018-13")]
    [InlineData("2018-05-05T24:00:00")]
    [InlineData("2018-05-05T10:60:00")]
    [InlineData("2018-05-05T1:00:00")]
    [InlineData("2018-05-05 10:11:12")]
    [InlineData("2018-05-05T10:11:12Z\n")]
    [InlineData("201")]
    [InlineData("")]
    [InlineData("٢٠١٨")] // Arabic-Indic digits are not \d in JavaScript
    [InlineData("2018-1-01")]
    [InlineData("2018Z")]
    [InlineData("2018+05")]
    [InlineData("2018-05+0530")]
    [InlineData("2018-05-05.")]
    public void TryMatch_HandPickedCases_AgreesWithRegex(string text) => AssertAgrees(text);

    [Fact]
    public void TryMatch_GeneratedNearTimestamps_AgreesWithRegex()
    {
        // Valid timestamps with characters replaced, inserted or removed, and strings over the shape's alphabet.
        var random = new Random(20261202);
        string[] seeds = ["2018-05-05T10:11:12.123+05:30", "2018-05-05T10:11:12Z", "2018-05-0530", "2018.5", "1999-12-31T23:59:59.9-0130"];
        const string alphabet = "0123456789012345-T:.+Z ";
        var checkedCount = 0;
        for (var i = 0; i < 40_000; i++)
        {
            var text = new StringBuilder(seeds[random.Next(seeds.Length)]);
            if (i % 4 == 3)
            {
                text.Clear();
                var length = random.Next(4, 30);
                for (var k = 0; k < length; k++) text.Append(alphabet[random.Next(alphabet.Length)]);
            }
            else
            {
                var edits = random.Next(1, 4);
                for (var k = 0; k < edits && text.Length > 0; k++)
                {
                    var at = random.Next(text.Length);
                    switch (random.Next(3))
                    {
                        case 0: text[at] = alphabet[random.Next(alphabet.Length)]; break;
                        case 1: text.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                        default: text.Remove(at, 1); break;
                    }
                }
            }

            AssertAgrees(text.ToString());
            checkedCount++;
        }

        Assert.Equal(40_000, checkedCount);
    }

    [Theory]
    // Expected values from jsonata-js 2.2.2 under node.
    [InlineData("2018-05-0530", double.NaN)] // month and offset without a time: Node rejects it
    [InlineData("2018.5", 1525132800000)]
    [InlineData("2018-03.5Z", 1520208000000)]
    [InlineData("2018-05-05T10:11:12.5Z", 1525515072500)]
    [InlineData("2018-05-05T10:11:12.123456Z", 1525515072123)]
    [InlineData("2018-05-05T10:11:12+0100", 1525511472000)]
    public void Parse_Timestamps_GivesNodeMillis(string text, double expected) =>
        Assert.Equal(expected, IsoTimestamp.Parse(text));

    private static void AssertAgrees(string text)
    {
        var match = Oracle().Match(text);
        var matched = IsoShape.TryMatch(text, out var shape);
        Assert.True(match.Success == matched, $"verdict differs for \"{text}\": regex {match.Success}");
        if (!matched)
        {
            return;
        }

        AssertCapture(text, match.Groups["year"], shape.Year, "year");
        AssertCapture(text, match.Groups["month"], shape.Month, "month");
        AssertCapture(text, match.Groups["day"], shape.Day, "day");
        AssertCapture(text, match.Groups["time"], shape.Time, "time");
        AssertCapture(text, match.Groups["fraction"], shape.Fraction, "fraction");
        AssertCapture(text, match.Groups["zone"], shape.Zone, "zone");
    }

    private static void AssertCapture(string text, Group expected, IsoShape.Capture actual, string name)
    {
        Assert.True(expected.Success == actual.Success, $"{name} of \"{text}\": regex success {expected.Success}");
        if (expected.Success)
        {
            Assert.True(expected.Index == actual.Start && expected.Length == actual.Length,
                $"{name} of \"{text}\": regex {expected.Index}+{expected.Length}, ours {actual.Start}+{actual.Length}");
        }
    }
}
