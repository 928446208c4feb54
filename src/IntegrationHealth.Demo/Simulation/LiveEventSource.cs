using IntegrationHealth.Demo.World;

namespace IntegrationHealth.Demo.Simulation;

/// <summary>
/// An endless, thread-safe supply of "live" events: the demo world's days replayed in a loop, each event re-stamped to
/// the current instant (minus a little jitter, as real senders batch) and given a fresh id.
/// </summary>
internal sealed class LiveEventSource(DemoWorld world, int seed, DateTime runStart)
{
    private readonly Lock _gate = new();
    private readonly DemoRandom _rng = DemoRandom.For(seed, 20, runStart.Ticks);
    private List<DemoEvent> _day = [];
    private int _dayIndex = -1;
    private int _position;

    /// <summary>Appends <paramref name="count"/> events to <paramref name="into"/>.</summary>
    public void Take(int count, List<DemoEvent> into)
    {
        lock (_gate)
        {
            var now = DateTime.UtcNow;
            for (var i = 0; i < count; i++)
            {
                while (_position >= _day.Count)
                {
                    _dayIndex = (_dayIndex + 1) % world.Days;
                    _day = DemoEventStream.ForDay(world, _dayIndex);
                    _position = 0;
                }
                var e = _day[_position++];
                var at = now.AddMilliseconds(-_rng.Uniform(0, 5_000));
                at = new DateTime(at.Ticks - at.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
                into.Add(e with { Id = _rng.NextGuidV7(at), OccurredAt = at }); // time-ordered ids, as the API recommends
            }
        }
    }
}
