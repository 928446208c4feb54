using System.Net;
using System.Net.Sockets;
using IntegrationHealth.Web.Jobs;
using Microsoft.Extensions.Options;

namespace IntegrationHealth.Web.Webhooks;

/// <summary>Registration of the webhook outbox, its drain job and its HTTP client.</summary>
public static class WebhookServiceCollectionExtensions
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .Validate(o => o.BatchSize is >= 1 and <= 10_000, "Webhooks:BatchSize must be between 1 and 10000.")
            .Validate(o => o.Parallelism is >= 1 and <= 64, "Webhooks:Parallelism must be between 1 and 64.")
            .Validate(o => o.Lease > o.AttemptTimeout, "Webhooks:Lease must be longer than Webhooks:AttemptTimeout.")
            .Validate(o => o.AttemptTimeout > TimeSpan.Zero && o.AttemptTimeout <= TimeSpan.FromMinutes(1), "Webhooks:AttemptTimeout must be between 0 and 1 minute.")
            .Validate(o => o.RotationOverlap >= TimeSpan.Zero && o.RotationOverlap <= TimeSpan.FromDays(7), "Webhooks:RotationOverlap must be between 0 and 7 days.")
            .Validate(o => o.MaxEndpointsPerTenant is >= 1 and <= 1000, "Webhooks:MaxEndpointsPerTenant must be between 1 and 1000.")
            .ValidateOnStart();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<IWebhookOutbox, WebhookOutbox>();
        services.AddSingleton<WebhookDeliveryTelemetry>();
        services.AddTransient<WebhookDrain>();
        services.AddHttpClient(WebhookDrain.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var allowPrivate = provider.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateAddresses;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectCallback = (context, token) => ConnectAsync(context, allowPrivate, token),
                };
            });
        services.AddRecurringJob<WebhookDrainJob>(WebhookDrainJob.RecurringJobId, "* * * * *");
        return services;
    }

    /// <summary>Connects to the first address of the host that the policy allows; refuses when none is, so a
    /// public name re-pointed at 127.0.0.1 after registration still cannot reach the internal network.</summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken token)
    {
        var host = context.DnsEndPoint.Host;
        IPAddress[] addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, token);
        var allowed = addresses.Where(a => allowPrivate || WebhookUrlPolicy.IsPublic(a)).ToArray();
        if (allowed.Length == 0) throw new WebhookAddressException($"{host} resolves to no address webhooks may be sent to.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
