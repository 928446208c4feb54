using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHealth.Data.Entities;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Engine.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on writes (draft-ietf-httpapi-idempotency-key-header): the first request with a key runs and
/// its result (status, the headers that matter, body) is kept; a repeat within the retention with the same fingerprint
/// is answered from the store, without a second upstream call (<c>Idempotent-Replayed: true</c>); a repeat while the
/// first is in flight is 409; the key with another method, target or body is 422. Keys are per tenant and connection.
/// </summary>
public sealed class IdempotentRequests(IdempotencyStore store, IOptions<IdempotencyOptions> options, ILogger<IdempotentRequests> logger)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>Response headers kept for a replay (hop-by-hop, cookies and dates are not).</summary>
    private static readonly string[] KeptHeaders =
        ["Content-Type", "Content-Language", "Content-Disposition", "Location", "ETag", "Last-Modified", "Cache-Control",
         "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"];

    public int MaxBodyBytes => options.Value.MaxBodyBytes;

    /// <summary>The request's key: absent (null, no problem), valid, or a problem (several keys, empty, too long, not visible ASCII).</summary>
    public static (string? Key, ProblemHttpResult? Problem) KeyOf(HttpRequest request)
    {
        var values = request.Headers[Header];
        if (values.Count == 0) return (null, null);
        if (values.Count > 1) return (null, Problems.BadRequest("Send one Idempotency-Key.", field: Header));
        var key = values[0]!.Trim();
        // The draft's form is a structured-field string ("..."); a bare token is accepted too.
        if (key.Length >= 2 && key[0] == '"' && key[^1] == '"') key = key[1..^1];
        if (key.Length is 0 or > 255 || key.Any(c => c is < '!' or > '~'))
            return (null, Problems.BadRequest("An Idempotency-Key is 1 to 255 visible ASCII characters.", field: Header));
        return (key, null);
    }

    /// <summary>The fingerprint of a request: method, target (path and query as we received them) and body.</summary>
    public static string Fingerprint(HttpRequest request, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path.ToUriComponent()}{request.QueryString.ToUriComponent()}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Runs <paramref name="execute"/> (which writes the response) under the key, or answers the stored result or the
    /// problem. A request that throws gives its key back, so the client's retry can run.
    /// </summary>
    public async Task RunAsync(HttpContext context, int tenantId, int connectionId, string key, string fingerprint, Func<Task> execute)
    {
        var (verdict, record) = await store.BeginAsync(tenantId, connectionId, key, fingerprint, context.RequestAborted);
        switch (verdict)
        {
            case IdempotencyVerdict.Replay:
                EngineLog.IdempotentReplay(logger, connectionId, record.Status ?? 0);
                await ReplayAsync(context, record);
                return;
            case IdempotencyVerdict.InFlight:
                await TypedResults.Problem(Problems.Create(409,
                    "A request with this Idempotency-Key is still in progress; retry after it has completed.", field: Header)).ExecuteAsync(context);
                return;
            case IdempotencyVerdict.Mismatch:
                await TypedResults.Problem(Problems.Create(422,
                    "This Idempotency-Key was used for another request (method, target or body); use a new key for a new request.",
                    "The Idempotency-Key does not match its first request.", Header)).ExecuteAsync(context);
                return;
        }

        var original = context.Response.Body;
        await using var capture = new CapturingStream(original, options.Value.MaxBodyBytes);
        context.Response.Body = capture;
        try
        {
            await execute();
            await capture.FlushAsync(context.RequestAborted);
        }
        catch (Exception e)
        {
            EngineLog.IdempotencyReleased(logger, connectionId, e);
            await store.ReleaseAsync(record);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }

        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in KeptHeaders)
            if (context.Response.Headers.TryGetValue(name, out var value)) headers[name] = [.. value.Select(v => v ?? "")];
        await store.CompleteAsync(record, context.Response.StatusCode, headers, capture.Overflowed ? null : capture.Captured,
            capture.Overflowed, CancellationToken.None);
    }

    private static async Task ReplayAsync(HttpContext context, IdempotencyRecord record)
    {
        var response = context.Response;
        response.StatusCode = record.Status ?? 200;
        if (record.Headers is { } json)
            foreach (var (name, values) in JsonSerializer.Deserialize<Dictionary<string, string[]>>(json) ?? [])
                response.Headers[name] = values;
        response.Headers[ReplayedHeader] = "true";
        if (record.BodyOmitted)
        {
            response.Headers["Idempotent-Body-Omitted"] = "true";
            response.Headers.ContentType = default;
            return;
        }
        if (record.Body is { Length: > 0 } body)
        {
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    /// <summary>Passes every byte on and keeps a copy of the first <c>limit</c> bytes.</summary>
    private sealed class CapturingStream(Stream inner, int limit) : Stream
    {
        private readonly MemoryStream _copy = new();

        public bool Overflowed { get; private set; }
        public byte[] Captured => _copy.ToArray();

        private void Keep(ReadOnlySpan<byte> buffer)
        {
            if (Overflowed) return;
            if (_copy.Length + buffer.Length > limit)
            {
                Overflowed = true;
                _copy.SetLength(0);
                return;
            }
            _copy.Write(buffer);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _copy.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync()
        {
            _copy.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
