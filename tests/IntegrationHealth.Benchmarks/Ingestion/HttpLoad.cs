using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using IntegrationHealth.Testing;

namespace IntegrationHealth.Benchmarks.Ingestion;

/// <summary>Several concurrent clients posting pre-serialised event batches to <c>POST /v1/events</c>.</summary>
internal static class HttpLoad
{
    /// <summary>Posts every body once with <paramref name="key"/>, <paramref name="clients"/> at a time; returns the
    /// events accepted and the wall time. Any non-200 answer aborts the run with its problem text.</summary>
    public static async Task<(long Accepted, long Duplicates, TimeSpan Elapsed)> RunAsync(ApiProcess server, string key, byte[][] bodies, int clients)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var media = new MediaTypeHeaderValue("application/json");
        long accepted = 0, duplicates = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Length)
            {
                using var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = media;
                using var response = await http.PostAsync("v1/events", content);
                var text = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"POST /v1/events answered {(int)response.StatusCode}: {Truncate(text)}");
                }
                using var json = JsonDocument.Parse(text);
                Interlocked.Add(ref accepted, json.RootElement.GetProperty("accepted").GetInt64());
                Interlocked.Add(ref duplicates, json.RootElement.GetProperty("duplicates").GetInt64());
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return (accepted, duplicates, clock.Elapsed);
    }

    private static string Truncate(string text) => text.Length <= 1_000 ? text : text[..1_000] + "…";
}
