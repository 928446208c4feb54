using System.Diagnostics.Metrics;

namespace IntegrationHealth.Ingestion.Events;

/// <summary>Our own meter: what ingestion accepted, skipped as duplicate, and rejected. Exported at <c>/metrics</c>.</summary>
public sealed class IngestionMetrics
{
    public const string MeterName = "IntegrationHealth.Ingestion";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _rejectedBatches;
    private readonly Histogram<int> _batchSize;

    public IngestionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _accepted = meter.CreateCounter<long>("integrationhealth.events.accepted", "{event}", "Telemetry events stored.");
        _duplicates = meter.CreateCounter<long>("integrationhealth.events.duplicate", "{event}", "Telemetry events skipped because their id was already stored.");
        _rejected = meter.CreateCounter<long>("integrationhealth.events.rejected", "{event}", "Telemetry events in batches rejected as invalid or too large.");
        _rejectedBatches = meter.CreateCounter<long>("integrationhealth.batches.rejected", "{batch}", "Ingestion requests answered 400 or 413.");
        _batchSize = meter.CreateHistogram<int>("integrationhealth.events.batch_size", "{event}", "Events per ingestion request.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 10, 100, 500, 1_000, 2_500, 5_000, 10_000] });
    }

    public void Stored(int batchSize, int accepted, int duplicates)
    {
        _batchSize.Record(batchSize);
        _accepted.Add(accepted);
        _duplicates.Add(duplicates);
    }

    public void Rejected(int events)
    {
        _rejectedBatches.Add(1);
        if (events > 0) _rejected.Add(events);
    }
}
