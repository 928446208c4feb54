using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHealth.Analytics.Tests.Signals;

/// <summary>A real HTTP receiver on 127.0.0.1 (Kestrel) that records every request and answers with the queued
/// statuses (then 200).</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<int> _statuses = new();
    private WebApplication? _app;

    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    public ConcurrentQueue<Received> Requests { get; } = new();

    public Uri Origin { get; private set; } = null!;

    /// <summary>Checks a body before answering; a non-null result is answered 400 with that text.</summary>
    public Func<string, string, string?>? Check { get; set; }

    public void Answer(params int[] statuses)
    {
        foreach (var status in statuses) _statuses.Enqueue(status);
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            receiver.Requests.Enqueue(new Received(context.Request.Path, headers, body));
            if (receiver.Check?.Invoke(context.Request.Path, body) is { } problem)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync(problem);
                return;
            }
            context.Response.StatusCode = receiver._statuses.TryDequeue(out var status) ? status : 200;
        });
        await app.StartAsync();
        receiver._app = app;
        receiver.Origin = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
