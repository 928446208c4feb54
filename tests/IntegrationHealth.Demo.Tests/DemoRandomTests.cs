using IntegrationHealth.Demo.World;

namespace IntegrationHealth.Demo.Tests;

public sealed class DemoRandomTests
{
    [Fact]
    public void For_SameSeedAndKeys_SameSequence()
    {
        var a = DemoRandom.For(7, 1, 2, 3);
        var b = DemoRandom.For(7, 1, 2, 3);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }
    }

    [Fact]
    public void For_DifferentKeyOrSeed_DifferentSequence()
    {
        var first = DemoRandom.For(7, 1, 2).NextUInt64();
        Assert.NotEqual(first, DemoRandom.For(7, 2, 1).NextUInt64());
        Assert.NotEqual(first, DemoRandom.For(8, 1, 2).NextUInt64());
        Assert.NotEqual(first, DemoRandom.For(7, 1, 3).NextUInt64());
    }

    [Fact]
    public void NextGuid_Always_Version4Rfc9562Variant()
    {
        var rng = new DemoRandom(99);
        for (var i = 0; i < 1000; i++)
        {
            var text = rng.NextGuid().ToString("D");
            Assert.Equal('4', text[14]);
            Assert.Contains(text[19], "89ab");
        }
    }

    [Fact]
    public void Poisson_ManyDraws_MeanCloseToParameter()
    {
        var rng = new DemoRandom(5);
        foreach (var mean in new[] { 0.5, 3.0, 12.0, 80.0 })
        {
            var sum = 0L;
            const int n = 20_000;
            for (var i = 0; i < n; i++)
            {
                sum += rng.Poisson(mean);
            }
            // Standard error of the mean is sqrt(mean / n); allow 5 of them.
            Assert.InRange(sum / (double)n, mean - 5 * Math.Sqrt(mean / n), mean + 5 * Math.Sqrt(mean / n));
        }
    }

    [Fact]
    public void LogNormal_ManyDraws_MedianCloseToParameter()
    {
        var rng = new DemoRandom(11);
        var draws = Enumerable.Range(0, 10_001).Select(_ => rng.LogNormal(200, 0.6)).Order().ToArray();
        Assert.InRange(draws[5_000], 190, 210);
    }

    [Fact]
    public void Next_EmptyRange_ReturnsMinimum()
    {
        Assert.Equal(4, new DemoRandom(1).Next(4, 4));
    }

    [Fact]
    public void NextGuidV7_LaterInstant_SortsAfterAndCarriesVersion7()
    {
        var rng = new DemoRandom(3);
        var t = new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);
        var earlier = rng.NextGuidV7(t).ToString("N");
        var later = rng.NextGuidV7(t.AddMilliseconds(1)).ToString("N");
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
        Assert.Equal('7', earlier[12]);
        Assert.Contains(earlier[16], "89ab");
        var ms = (t - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;
        Assert.Equal(ms.ToString("x12"), earlier[..12]);
    }
}
