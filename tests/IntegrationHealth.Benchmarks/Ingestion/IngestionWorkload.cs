using System.Buffers;
using IntegrationHealth.Demo;
using IntegrationHealth.Demo.Simulation;
using IntegrationHealth.Demo.World;

namespace IntegrationHealth.Benchmarks.Ingestion;

/// <summary>
/// The events every path ingests: the demo generator's telemetry (500 accounts), the first <c>warm-up + N</c> events
/// of its stream, optionally with random UUIDv4 ids instead of the generator's time-ordered ones. The same events go
/// to COPY, to the writer and over HTTP (pre-serialised, so clients spend their CPU on sending, not on JSON).
/// </summary>
internal sealed class IngestionWorkload
{
    private IngestionWorkload(DemoWorld world, DemoEvent[] warmup, DemoEvent[] events, int batch, EventIds ids)
    {
        Ids = ids;
        World = world;
        Warmup = warmup;
        Events = events;
        Batch = batch;
    }

    public DemoWorld World { get; }

    public EventIds Ids { get; }

    /// <summary>How the ids are described in the output.</summary>
    public string IdsLabel => Ids == EventIds.V7 ? "v7" : "v4";

    public DemoEvent[] Warmup { get; }

    public DemoEvent[] Events { get; }

    public int Batch { get; }

    public static IngestionWorkload Create(IngestionSettings settings, EventIds ids)
    {
        var needed = settings.WarmupEvents + settings.Events;
        // About 11,000 events per simulated day at 500 accounts (fewer at weekends); the stream is cut at `needed`,
        // so generous days cost nothing but the (cheap) world.
        var days = Math.Clamp(needed / 6_000 + 3, 3, 365);
        var world = DemoWorld.Generate(new DemoWorldOptions
        {
            Seed = settings.Seed,
            Accounts = 500,
            Days = days,
            TenantKey = "bench",
            // Recent enough that the API's "not before 2000" check passes, fixed so runs are comparable.
            EndUtc = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc),
        });
        var all = DemoEventStream.All(world).Take(needed).ToArray();
        if (all.Length < needed)
        {
            throw new InvalidOperationException($"the generator produced {all.Length} events, {needed} needed");
        }
        if (ids == EventIds.V4)
        {
            var rng = DemoRandom.For(settings.Seed, 77);
            for (var i = 0; i < all.Length; i++)
            {
                all[i] = all[i] with { Id = rng.NextGuid() };
            }
        }
        return new IngestionWorkload(world, all[..settings.WarmupEvents], all[settings.WarmupEvents..], settings.Batch, ids);
    }

    /// <summary>Events in batches of <see cref="Batch"/>.</summary>
    public static IEnumerable<ArraySegment<DemoEvent>> Batches(DemoEvent[] events, int batch)
    {
        for (var i = 0; i < events.Length; i += batch)
        {
            yield return new ArraySegment<DemoEvent>(events, i, Math.Min(batch, events.Length - i));
        }
    }

    /// <summary>JSON array bodies of <c>POST /v1/events</c>, one per batch.</summary>
    public byte[][] Bodies(DemoEvent[] events)
    {
        var accountIds = World.Accounts.Select(a => a.ExternalId).ToArray();
        var connectionIds = World.Connections.Select(c => c.ExternalId).ToArray();
        var buffer = new ArrayBufferWriter<byte>(Batch * 400);
        return Batches(events, Batch).Select(b =>
        {
            buffer.ResetWrittenCount();
            WireFormat.WriteEvents(buffer, b, accountIds, connectionIds);
            return buffer.WrittenSpan.ToArray();
        }).ToArray();
    }
}
