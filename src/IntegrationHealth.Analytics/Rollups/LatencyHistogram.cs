namespace IntegrationHealth.Analytics.Rollups;

/// <summary>
/// A mergeable latency histogram with fixed log-scale buckets: bucket <c>i</c> (1 ≤ i ≤ <see cref="BucketCount"/> − 1)
/// holds latencies in (2^((i−1)/4), 2^(i/4)] ms, bucket 0 holds 0–1 ms, the last one everything above ~4.7 minutes. Four buckets
/// per doubling make a bucket ~19% wide, so a percentile read from it (linear within the bucket) is within that of the
/// exact value; because the bounds are fixed, histograms of any windows add up bucket by bucket, which is what lets
/// hourly rollups become daily ones and days become 30-day windows without raw events.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Buckets per doubling of latency.</summary>
    public const int BucketsPerDoubling = 4;

    /// <summary>Number of buckets (the last is open-ended).</summary>
    public const int BucketCount = 74;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Values recorded.</summary>
    public long Count { get; private set; }

    /// <summary>The bucket a latency falls in.</summary>
    public static int BucketOf(long latencyMs)
    {
        if (latencyMs <= 1) return 0;
        var i = (int)Math.Ceiling(BucketsPerDoubling * Math.Log2(latencyMs) - 1e-9);
        return Math.Min(i, BucketCount - 1);
    }

    /// <summary>The upper bound of bucket <paramref name="i"/> in ms (the last bucket's is its lower bound).</summary>
    public static double UpperBound(int i) => Math.Pow(2, (double)Math.Min(i, BucketCount - 2) / BucketsPerDoubling);

    private static double LowerBound(int i) => i == 0 ? 0 : Math.Pow(2, (double)(i - 1) / BucketsPerDoubling);

    public void Add(long latencyMs, long count = 1)
    {
        _counts[BucketOf(Math.Max(0, latencyMs))] += count;
        Count += count;
    }

    /// <summary>Adds every bucket of <paramref name="other"/>.</summary>
    public void Merge(LatencyHistogram other)
    {
        for (var i = 0; i < BucketCount; i++) _counts[i] += other._counts[i];
        Count += other.Count;
    }

    /// <summary>Adds an encoded histogram (<see cref="Encode"/>); null or empty adds nothing.</summary>
    public void Merge(byte[]? encoded)
    {
        if (encoded is null) return;
        var position = 0;
        var index = -1;
        while (position < encoded.Length)
        {
            index += (int)ReadVarint(encoded, ref position) + 1;
            var count = (long)ReadVarint(encoded, ref position);
            if (index >= BucketCount) throw new FormatException("Latency histogram bucket out of range.");
            _counts[index] += count;
            Count += count;
        }
    }

    public static LatencyHistogram Decode(byte[]? encoded)
    {
        var histogram = new LatencyHistogram();
        histogram.Merge(encoded);
        return histogram;
    }

    /// <summary>The count of bucket <paramref name="i"/>.</summary>
    public long this[int i] => _counts[i];

    /// <summary>The <paramref name="q"/> quantile (0–1) in ms, interpolated linearly within its bucket; null when empty.</summary>
    public double? Quantile(double q)
    {
        if (Count == 0) return null;
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        var rank = q * Count;
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            var c = _counts[i];
            if (c == 0) continue;
            if (seen + c >= rank)
            {
                if (i == BucketCount - 1) return LowerBound(i);
                var lo = LowerBound(i);
                var hi = UpperBound(i);
                return lo + (hi - lo) * Math.Clamp((rank - seen) / c, 0, 1);
            }

            seen += c;
        }

        return UpperBound(BucketCount - 1);
    }

    /// <summary>Sparse encoding: for each non-empty bucket, the gap from the previous one and the count, as varints
    /// (a typical request mix needs 10–30 bytes rather than 74 counters).</summary>
    public byte[]? Encode()
    {
        if (Count == 0) return null;
        var buffer = new List<byte>(32);
        var previous = -1;
        for (var i = 0; i < BucketCount; i++)
        {
            if (_counts[i] == 0) continue;
            WriteVarint(buffer, (ulong)(i - previous - 1));
            WriteVarint(buffer, (ulong)_counts[i]);
            previous = i;
        }

        return [.. buffer];
    }

    private static void WriteVarint(List<byte> buffer, ulong value)
    {
        while (value >= 0x80)
        {
            buffer.Add((byte)(value | 0x80));
            value >>= 7;
        }

        buffer.Add((byte)value);
    }

    private static ulong ReadVarint(byte[] data, ref int position)
    {
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            if (position >= data.Length || shift > 63) throw new FormatException("Truncated latency histogram.");
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
            shift += 7;
        }
    }
}
