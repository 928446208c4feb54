namespace IntegrationHealth.Web.Http;

/// <summary>One problem with one item of a batch: which item (<paramref name="Index"/>, 0-based), which field, and why.</summary>
/// <param name="Index">Position of the item in the batch; -1 when the problem is not with one item (the body as a whole,
/// a single-object body, a query or route parameter, a header).</param>
/// <param name="Field">The property name (camelCase), query or route parameter, or header at fault; <c>$</c> for the item
/// or body itself.</param>
public sealed record BatchError(int Index, string Field, string Message);

/// <summary>
/// Collects every error of a batch. All are counted; the first <see cref="MaxReported"/> are kept for the response so a
/// batch of 10,000 broken events does not produce a multi-megabyte error document.
/// </summary>
public sealed class BatchErrors(int maxReported = 1000)
{
    private readonly List<BatchError> _reported = [];

    public int MaxReported { get; } = Math.Max(1, maxReported);

    /// <summary>Every error found, including those not kept.</summary>
    public int Count { get; private set; }

    public bool Any => Count > 0;

    public IReadOnlyList<BatchError> Reported => _reported;

    public void Add(int index, string field, string message)
    {
        Count++;
        if (_reported.Count < MaxReported) _reported.Add(new BatchError(index, field, message));
    }
}
