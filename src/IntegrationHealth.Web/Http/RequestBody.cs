using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace IntegrationHealth.Web.Http;

/// <summary>
/// A request body read whole into a pooled buffer. The size limit is enforced while reading, so a chunked body without
/// Content-Length is cut off as soon as it passes the limit instead of being buffered first; for a gzip or br body
/// (<see cref="RequestDecoding"/>) it bounds both the encoded and the decoded bytes. Dispose returns the buffer.
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

    /// <summary>
    /// Reads the body; returns null when it is longer than <paramref name="maxBytes"/>, encoded or decoded (the caller
    /// answers 413). A body that is not valid data of its Content-Encoding throws a 400 <see cref="RequestProblemException"/>.
    /// </summary>
    public static async Task<RequestBody?> ReadAsync(HttpContext context, long maxBytes, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes) return null;

        // Our (configurable) limit replaces Kestrel's fixed 30 MB. Kestrel then enforces it on the bytes on the wire,
        // and RequestDecoding on the decoded bytes of a gzip or br body; both throw a 413 BadHttpRequestException,
        // answered below like our own check.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = maxBytes;

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
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
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
