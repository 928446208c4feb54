using System.Collections.Concurrent;

namespace IntegrationHealth.Engine;

/// <summary>
/// A process's recent reads from the store, reused for a caller-given age on a per-call path (the connection lookup,
/// the vault read), and the writes of this process that must be seen at once: <see cref="Forget"/> leaves a tombstone,
/// and a read is remembered only if it began after whatever the key holds, so a read that raced a write never
/// outlives it. Expired entries are dropped once more than <see cref="PurgeAbove"/> are held.
/// </summary>
public sealed class RecentReads<TKey, TValue>(TimeProvider time, IEqualityComparer<TKey>? comparer = null) where TKey : notnull
{
    /// <summary>Past this many remembered reads, <see cref="Remember"/> first drops the expired ones.</summary>
    public const int PurgeAbove = 10_000;

    private readonly ConcurrentDictionary<TKey, (TValue? Value, long Stamp, bool Valid)> _reads = new(comparer);

    /// <summary>The value read less than <paramref name="maxAge"/> ago and not forgotten since.</summary>
    public bool TryGet(TKey key, TimeSpan maxAge, out TValue? value)
    {
        if (maxAge > TimeSpan.Zero && _reads.TryGetValue(key, out var read) && read.Valid && time.GetElapsedTime(read.Stamp) < maxAge)
        {
            value = read.Value;
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>The instant a read begins, for <see cref="Remember"/>.</summary>
    public long Begin() => time.GetTimestamp();

    /// <summary>Remembers <paramref name="value"/>, read from <paramref name="began"/> on, unless a write (or a later
    /// read) of the key came after that instant.</summary>
    public void Remember(TKey key, TValue value, long began, TimeSpan maxAge)
    {
        if (maxAge <= TimeSpan.Zero) return;
        if (_reads.Count >= PurgeAbove)
            foreach (var (k, read) in _reads)
                if (time.GetElapsedTime(read.Stamp) >= maxAge) _reads.TryRemove(k, out _);
        var entry = (value, began, true);
        while (true)
        {
            if (!_reads.TryGetValue(key, out var current))
            {
                if (_reads.TryAdd(key, entry)) return;
            }
            else if (current.Stamp >= began || _reads.TryUpdate(key, entry, current))
            {
                return;
            }
        }
    }

    /// <summary>Leaves a tombstone: nothing read before now is remembered for <paramref name="key"/> any more.</summary>
    public void Forget(TKey key) => _reads[key] = (default, time.GetTimestamp(), false);
}
