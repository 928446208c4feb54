using IntegrationHealth.Analytics.Rollups;

namespace IntegrationHealth.Analytics.Tests.Rollups;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Quantile_UniformOneToThousand_WithinABucketWidthOfExact()
    {
        var h = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++) h.Add(ms);

        // Exact: p50 = 500, p95 = 950, p99 = 990; a bucket is 2^(1/4) ≈ 1.19 wide.
        Assert.InRange(h.Quantile(0.50)!.Value, 500 / 1.19, 500 * 1.19);
        Assert.InRange(h.Quantile(0.95)!.Value, 950 / 1.19, 950 * 1.19);
        Assert.InRange(h.Quantile(0.99)!.Value, 990 / 1.19, 990 * 1.19);
    }

    [Fact]
    public void Quantile_AllOneValue_FallsInThatValuesBucket()
    {
        var h = new LatencyHistogram();
        h.Add(100, 50);
        var bucket = LatencyHistogram.BucketOf(100);

        Assert.Equal(27, bucket); // 2^(26/4) = 90.5 < 100 <= 2^(27/4) = 107.6
        Assert.InRange(h.Quantile(0.5)!.Value, 90.5, 107.7);
        Assert.Null(new LatencyHistogram().Quantile(0.5));
    }

    [Fact]
    public void BucketOf_BoundsAreInclusiveAboveAndTheLastBucketIsOpen()
    {
        Assert.Equal(0, LatencyHistogram.BucketOf(0));
        Assert.Equal(0, LatencyHistogram.BucketOf(1));
        Assert.Equal(4, LatencyHistogram.BucketOf(2));
        Assert.Equal(7, LatencyHistogram.BucketOf(3)); // 2^(6/4) = 2.83 < 3 <= 2^(7/4) = 3.36
        Assert.Equal(40, LatencyHistogram.BucketOf(1024));
        Assert.Equal(LatencyHistogram.BucketCount - 1, LatencyHistogram.BucketOf(int.MaxValue));
    }

    [Fact]
    public void Merge_OfEncodedHalves_EqualsTheWhole()
    {
        var whole = new LatencyHistogram();
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        var random = new Random(7);
        for (var i = 0; i < 5000; i++)
        {
            var ms = (long)Math.Exp(random.NextDouble() * 10);
            whole.Add(ms);
            (i % 3 == 0 ? a : b).Add(ms);
        }

        var merged = LatencyHistogram.Decode(a.Encode());
        merged.Merge(b.Encode());

        Assert.Equal(whole.Count, merged.Count);
        for (var i = 0; i < LatencyHistogram.BucketCount; i++) Assert.Equal(whole[i], merged[i]);
        Assert.Equal(whole.Encode(), merged.Encode());
        Assert.Equal(whole.Quantile(0.99), merged.Quantile(0.99));
    }

    [Fact]
    public void Decode_Truncated_Throws()
    {
        var h = new LatencyHistogram();
        h.Add(5, 300);
        var bytes = h.Encode()!;
        Assert.Throws<FormatException>(() => LatencyHistogram.Decode(bytes[..^1]));
    }
}
