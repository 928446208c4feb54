using System.Text;
using System.Text.Json;
using IntegrationHealth.Testing;
using IntegrationHealth.Web.Webhooks;

namespace IntegrationHealth.Analytics.Tests.Signals;

public sealed class WebhookSignatureTests
{
    // The Standard Webhooks specification's published example (and the official libraries' test vector).
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = "{\"test\": 2432232314}";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Sign_SpecTestVector_GivesThePublishedSignature() =>
        Assert.Equal(SpecSignature, WebhookSignature.Sign(SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecBody), SpecSecret));

    [Fact]
    public void Verify_ChecksTimestampToleranceAndEverySignature()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp);
        var body = Encoding.UTF8.GetBytes(SpecBody);
        Assert.True(WebhookSignature.Verify(SpecId, "1614265330", "v1,bogus " + SpecSignature, body, SpecSecret, at.AddMinutes(4)));
        Assert.False(WebhookSignature.Verify(SpecId, "1614265330", SpecSignature, body, SpecSecret, at.AddMinutes(6)));
        Assert.False(WebhookSignature.Verify(SpecId, "1614265330", SpecSignature, Encoding.UTF8.GetBytes("{\"test\": 2432232315}"), SpecSecret, at));
        Assert.False(WebhookSignature.Verify(SpecId, "not-a-number", SpecSignature, body, SpecSecret, at));
    }

    [Fact]
    public void NewSecret_IsWhsecAndTwentyFourBytes()
    {
        var secret = WebhookSignature.NewSecret();
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(24, WebhookSignature.KeyOf(secret).Length);
        Assert.NotEqual(secret, WebhookSignature.NewSecret());
    }

    [Fact]
    public void RetrySchedule_FollowsTheSpecWithBoundedJitter_AndEnds()
    {
        var t = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(t.AddSeconds(5), WebhookRetrySchedule.NextAttempt(t, 1, 0.5));
        Assert.Equal(t.AddMinutes(5 * 0.8), WebhookRetrySchedule.NextAttempt(t, 2, 0));
        Assert.Equal(t.AddHours(10 * 1.2), WebhookRetrySchedule.NextAttempt(t, 7, 1.0));
        Assert.Null(WebhookRetrySchedule.NextAttempt(t, 8, 0.5));
        Assert.InRange(WebhookRetrySchedule.Delays.Aggregate(TimeSpan.Zero, (a, d) => a + d).TotalHours, 27, 28); // about a day
    }

    [Theory]
    [InlineData("http://example.com/hook", false, "https")]
    [InlineData("https://127.0.0.1/hook", false, "loopback")]
    [InlineData("https://10.1.2.3/hook", false, "loopback")]
    [InlineData("https://[::1]/hook", false, "loopback")]
    [InlineData("https://169.254.169.254/latest", false, "loopback")]
    [InlineData("https://localhost/hook", false, "local")]
    [InlineData("https://user:pw@example.com/hook", false, "user")]
    [InlineData("https://example.com/hook", false, null)]
    [InlineData("http://127.0.0.1:5000/hook", true, null)]
    public void UrlPolicy_RefusesPrivateAndPlainHttpUnlessAllowed(string url, bool allowPrivate, string? problemContains)
    {
        var problem = WebhookUrlPolicy.Problem(url, allowPrivate);
        if (problemContains is null) Assert.Null(problem);
        else Assert.Contains(problemContains, problem);
    }

    [Fact]
    public void Subscribes_MatchesExactTypesAndPrefixes()
    {
        Assert.True(WebhookOutbox.Subscribes(null, "alert.opened"));
        Assert.True(WebhookOutbox.Subscribes("alert.*", "alert.opened"));
        Assert.False(WebhookOutbox.Subscribes("alert.*", "alerting.opened"));
        Assert.True(WebhookOutbox.Subscribes("survey_trigger.created alert.resolved", "alert.resolved"));
        Assert.False(WebhookOutbox.Subscribes("alert.resolved", "alert.opened"));
    }

    /// <summary>Our signatures, checked by the official standardwebhooks npm library: the spec's vector, and a fresh
    /// message signed with a fresh secret and the current time (verified with the library's timestamp check).</summary>
    [NodeFact("webhooks")]
    public void OfficialLibrary_VerifiesOurSignatures()
    {
        var secret = WebhookSignature.NewSecret();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = "{\"type\":\"alert.opened\",\"data\":{\"title\":\"ünïcode ✓\"}}";
        var items = new object[]
        {
            new { secret = SpecSecret, skipTimestamp = true, body = SpecBody, headers = Headers(SpecId, SpecTimestamp, SpecSignature) },
            new { secret, skipTimestamp = false, body, headers = Headers("msg_1", now, WebhookSignature.Header("msg_1", now, Encoding.UTF8.GetBytes(body), [secret])) },
            new { secret, skipTimestamp = false, body, headers = Headers("msg_2", now,
                WebhookSignature.Header("msg_2", now, Encoding.UTF8.GetBytes(body), [WebhookSignature.NewSecret(), secret])) },
        };
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, JsonSerializer.Serialize(items));
            var (exit, output) = NodeScripts.Run("webhooks", TimeSpan.FromSeconds(60), "verify.mjs", file);
            Assert.Equal("ok\nok\nok", output.ReplaceLineEndings("\n"));
            Assert.Equal(0, exit);

            // And the library refuses a tampered body (so the check above can fail).
            File.WriteAllText(file, JsonSerializer.Serialize(new { secret, skipTimestamp = false, body = body + " ", headers = Headers("msg_1", now,
                WebhookSignature.Header("msg_1", now, Encoding.UTF8.GetBytes(body), [secret])) }));
            Assert.NotEqual(0, NodeScripts.Run("webhooks", TimeSpan.FromSeconds(60), "verify.mjs", file).ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Dictionary<string, string> Headers(string id, long timestamp, string signature) => new()
    {
        ["webhook-id"] = id,
        ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["webhook-signature"] = signature,
    };
}
