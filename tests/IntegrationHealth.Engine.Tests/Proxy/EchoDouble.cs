using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationHealth.ProviderDoubles;

namespace IntegrationHealth.Engine.Tests.Proxy;

/// <summary>
/// An upstream for the proxy: echoes what it received (method, path and query, headers), streams large downloads,
/// counts uploads without keeping them, answers 429s and redirects, sets cookies. Lock-step streaming: with
/// <see cref="Gate"/> set, a download sends its first chunk and waits for the test to open the gate before the rest.
/// </summary>
public sealed class EchoDouble : ProviderDouble
{
    public const int Chunk = 64 * 1024;

    /// <summary>Released by the test when it has seen the first chunk of a gated download.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when a gated upload's first chunk has arrived.</summary>
    public TaskCompletionSource FirstUploadChunk { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override void Map(WebApplication app)
    {
        app.Map("/base/echo/{**rest}", async (HttpContext c) =>
        {
            var headers = new JsonObject();
            foreach (var (name, value) in c.Request.Headers) headers[name.ToLowerInvariant()] = value.ToString();
            var body = await new StreamReader(c.Request.Body).ReadToEndAsync();
            c.Response.Headers["Set-Cookie"] = "upstream-session=1; Path=/";
            c.Response.Headers["X-Upstream"] = "echo";
            return Results.Json(new JsonObject
            {
                ["method"] = c.Request.Method, ["path"] = c.Request.Path.Value, ["query"] = c.Request.QueryString.Value,
                ["headers"] = headers, ["body"] = body,
            });
        });
        app.MapGet("/base/download", async (HttpContext c) =>
        {
            var total = long.Parse(c.Request.Query["bytes"]!, CultureInfo.InvariantCulture);
            var gated = c.Request.Query["gated"] == "1";
            c.Response.ContentType = "application/octet-stream";
            c.Response.ContentLength = total;
            var buffer = new byte[Chunk];
            for (var i = 0; i < buffer.Length; i++) buffer[i] = (byte)(i % 251);
            for (long sent = 0; sent < total;)
            {
                var n = (int)Math.Min(buffer.Length, total - sent);
                await c.Response.Body.WriteAsync(buffer.AsMemory(0, n));
                await c.Response.Body.FlushAsync();
                sent += n;
                if (gated && sent == n) await Gate.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
        });
        app.MapPost("/base/upload", async (HttpContext c) =>
        {
            c.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = null;
            var buffer = new byte[Chunk];
            long total = 0;
            int read;
            while ((read = await c.Request.Body.ReadAsync(buffer)) > 0)
            {
                total += read;
                FirstUploadChunk.TrySetResult();
            }
            return Results.Json(new { bytes = total });
        });
        app.MapGet("/base/limited", (HttpContext c) =>
        {
            c.Response.Headers["Retry-After"] = "7";
            c.Response.Headers["X-RateLimit-Limit"] = "100";
            c.Response.Headers["X-RateLimit-Remaining"] = "0";
            c.Response.Headers["X-RateLimit-Reset"] = "30";
            return Results.Json(new { message = "slow down" }, statusCode: 429);
        });
        app.MapGet("/base/counted", (HttpContext c) =>
        {
            c.Response.Headers["X-RateLimit-Limit"] = "100";
            c.Response.Headers["X-RateLimit-Remaining"] = "42";
            c.Response.Headers["X-RateLimit-Reset"] = "12";
            return Results.Json(new { ok = true });
        });
        app.MapGet("/base/redirect-away", () => Results.Redirect("http://elsewhere.example/steal"));
        app.MapGet("/base/redirect-home", () => Results.Redirect("/base/echo/home"));
        app.MapPost("/base/items", async (HttpContext c) =>
        {
            var body = await new StreamReader(c.Request.Body).ReadToEndAsync();
            c.Response.Headers.Location = "/base/items/77";
            return Results.Json(new { id = 77, received = body, serial = Requests.Count }, statusCode: 201);
        });
    }
}
