using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;

namespace IntegrationHealth.Web.Http;

/// <summary>
/// Request bodies sent with <c>Content-Encoding: gzip</c> or <c>br</c> (what telemetry shippers send) are decoded for
/// every endpoint; any other coding, or a stack of two, is answered 415 with <c>Accept-Encoding: gzip, br</c>
/// (RFC 9110 §15.5.16); <c>identity</c> means none. The request-body size limit in force
/// (<see cref="IHttpMaxRequestBodySizeFeature"/>, which endpoints such as <see cref="RequestBody"/> set) bounds the
/// bytes on the wire, as Kestrel enforces it, and also the decoded bytes, checked at every read, so a small body that
/// inflates without end (a decompression bomb) is cut off at the limit with a 413. A body that is not valid data of
/// its coding is a 400 naming the body (<c>$</c>). ASP.NET Core's request-decompression middleware is not used
/// because it fixes the decoded limit before the endpoint sets its own, and answers an exceeded limit with a 500.
/// </summary>
public static class RequestDecoding
{
    /// <summary>The codings we decode, as sent in <c>Accept-Encoding</c> with a 415.</summary>
    public const string AcceptedEncodings = "gzip, br";

    /// <summary>Middleware: decodes the body or refuses its coding; requests without Content-Encoding pass untouched.</summary>
    public static Task DecodeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.Headers.ContentEncoding.Count == 0) return next(context);
        // A request that cannot have a body (no Content-Length, not chunked) has nothing to decode.
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false }) return next(context);

        string? coding = null;
        var codings = 0;
        foreach (var value in request.Headers.ContentEncoding)
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.Equals("identity", StringComparison.OrdinalIgnoreCase)) continue;
                coding = part;
                codings++;
            }
        }
        if (codings == 0)
        {
            request.Headers.ContentEncoding = default;
            return next(context);
        }

        var name = codings == 1 ? Canonical(coding!) : null;
        if (name is null)
        {
            var detail = codings == 1
                ? $"Content-Encoding '{Clip(coding!)}' is not supported; send the body as is, or encoded with gzip or br."
                : "The body is encoded more than once (Content-Encoding lists several codings); send it encoded once, with gzip or br, or as is.";
            return RefuseAsync(context, detail);
        }
        return DecodeCoreAsync(context, next, name);
    }

    private static string? Canonical(string coding) =>
        coding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || coding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase) ? "gzip"
        : coding.Equals("br", StringComparison.OrdinalIgnoreCase) ? "br"
        : null;

    private static async Task DecodeCoreAsync(HttpContext context, RequestDelegate next, string coding)
    {
        var request = context.Request;
        var encoded = request.Body;
        Stream decoder = coding == "gzip"
            ? new GZipStream(encoded, CompressionMode.Decompress, leaveOpen: true)
            : new BrotliStream(encoded, CompressionMode.Decompress, leaveOpen: true);
        await using var decoded = new DecodedBodyStream(decoder, coding, context.Features.Get<IHttpMaxRequestBodySizeFeature>());
        request.Body = decoded;
        // Downstream sees a plain body of unknown length: the declared length is that of the encoded bytes.
        request.Headers.ContentEncoding = default;
        request.ContentLength = null;
        try
        {
            await next(context);
        }
        finally
        {
            request.Body = encoded;
        }
    }

    private static async Task RefuseAsync(HttpContext context, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        context.Response.Headers.AcceptEncoding = AcceptedEncodings;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = Problems.Create(StatusCodes.Status415UnsupportedMediaType, detail, field: "Content-Encoding"),
        });
    }

    private static string Clip(string text) => text.Length > 50 ? text[..50] + "…" : text;

    /// <summary>The decoded body: counts what it hands out against the size limit in force, and reports bad data as a 400.</summary>
    private sealed class DecodedBodyStream(Stream decoder, string coding, IHttpMaxRequestBodySizeFeature? limit) : Stream
    {
        private long _decoded;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _decoded; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read;
            try
            {
                read = await decoder.ReadAsync(buffer, cancellationToken);
            }
            // GZipStream reports bad data as InvalidDataException, BrotliStream as InvalidOperationException.
            catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException)
            {
                throw Invalid();
            }
            return Count(read);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read;
            try
            {
                read = decoder.Read(buffer, offset, count);
            }
            catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException)
            {
                throw Invalid();
            }
            return Count(read);
        }

        private int Count(int read)
        {
            _decoded += read;
            // Read at every call: the endpoint sets its limit after this stream is in place.
            if (limit?.MaxRequestBodySize is { } max && _decoded > max)
                throw new RequestProblemException(StatusCodes.Status413PayloadTooLarge,
                    $"The body decodes ({coding}) to more than {max} bytes, the limit of this endpoint.");
            return read;
        }

        private RequestProblemException Invalid() =>
            new(StatusCodes.Status400BadRequest, $"The body is not valid {coding} data, as its Content-Encoding says it is.", "$");

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            await decoder.DisposeAsync();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) decoder.Dispose();
            base.Dispose(disposing);
        }
    }
}
