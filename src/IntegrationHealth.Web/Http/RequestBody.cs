using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace IntegrationHealth.Web.Http;

/// <summary>
/// A request body read whole into a pooled buffer. The size limit is enforced while reading, so a chunked body without
/// Content-Length is cut off as soon as it passes the limit instead of being buffered first. Dispose returns the buffer.
/// </summary>
public sealed class RequestBody : IDisposable
{
    private byte[]? _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer is null ? throw new ObjectDisposedException(nameof(RequestBody)) : _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _buffer is null ? throw new ObjectDisposedException(nameof(RequestBody)) : _buffer.AsMemory(0, Length);

    /// <summary>Reads the body; returns null when it is longer than <paramref name="maxBytes"/> (the caller answers 413).</summary>
    public static async Task<RequestBody?> ReadAsync(HttpContext context, long maxBytes, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes) return null;

        // We enforce our own (configurable) limit below; Kestrel's fixed 30 MB limit would otherwise throw first.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = null;

        var limit = (int)Math.Min(maxBytes, Array.MaxLength - 1);
        var initial = request.ContentLength is { } declared ? (int)declared + 1 : 16 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(initial, 256), limit + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit) break;
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0) break;
                length += read;
                if (length > limit) break;
            }
            if (length > limit)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return null;
            }
            return new RequestBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
