namespace IntegrationHealth.Web.Store;

/// <summary>
/// Hosted services that need the store (the Hangfire job server, the recurring-job registrar, the Data Protection key
/// ring's warm-up) started only once it is ready. Started at once when it already is, so a start-up error of theirs still
/// fails the start; otherwise each waits in the background while the process listens, and starts when the store comes.
/// </summary>
public static class StoreGatedHostedServices
{
    /// <summary>Runs <paramref name="register"/>, then replaces the hosted services it added with one that starts them,
    /// in order, once the store is ready.</summary>
    public static IServiceCollection AddStoreGated(this IServiceCollection services, string what, Action<IServiceCollection> register)
    {
        ArgumentNullException.ThrowIfNull(register);
        var before = services.ToHashSet();
        register(services);
        var added = services.Where(d => d.ServiceType == typeof(IHostedService) && !before.Contains(d)).ToList();
        return services.Gate(what, added);
    }

    /// <summary>Defers the hosted services already registered whose implementation type <paramref name="matches"/>
    /// (for services that framework calls register, such as Data Protection's key-ring warm-up).</summary>
    public static IServiceCollection DeferUntilStoreReady(this IServiceCollection services, string what, Func<Type, bool> matches)
        => services.Gate(what, [.. services.Where(d => d.ServiceType == typeof(IHostedService) && !d.IsKeyedService
            && d.ImplementationType is { } type && matches(type))]);

    private static IServiceCollection Gate(this IServiceCollection services, string what, List<ServiceDescriptor> descriptors)
    {
        if (descriptors.Count == 0) return services;
        foreach (var descriptor in descriptors) services.Remove(descriptor);
        var factories = descriptors.Select(Factory).ToList();
        services.AddSingleton<IHostedService>(sp => new GatedHostedService(what, factories, sp));
        return services;
    }

    private static Func<IServiceProvider, IHostedService> Factory(ServiceDescriptor d) => d switch
    {
        { ImplementationFactory: { } factory } => sp => (IHostedService)factory(sp),
        { ImplementationInstance: IHostedService instance } => _ => instance,
        { ImplementationType: { } type } => sp => (IHostedService)ActivatorUtilities.CreateInstance(sp, type),
        _ => throw new InvalidOperationException($"Cannot defer the hosted service registration {d}."),
    };

    private sealed class GatedHostedService(string what, IReadOnlyList<Func<IServiceProvider, IHostedService>> factories, IServiceProvider services)
        : IHostedService, IDisposable
    {
        private readonly StoreStartup _startup = services.GetRequiredService<StoreStartup>();
        private readonly ILogger _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StoreGatedHostedServices));
        private readonly CancellationTokenSource _stopping = new();
        // Built now, when the host builds its hosted services, as it would have built them; only starting them waits.
        // (Hangfire's components log through a process-wide provider set by the host built last: built later, in a
        // process with several hosts, they could meet one that is disposed.) None of them touches the store to be built.
        private readonly IReadOnlyList<IHostedService> _inner = [.. factories.Select(factory => factory(services))];
        private readonly List<IHostedService> _started = [];
        private Task? _deferred;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (_startup.IsReady)
            {
                await StartInnerAsync(cancellationToken);
                return;
            }

            WebLog.DeferredUntilStoreReady(_logger, what);
            _deferred = Task.Run(async () =>
            {
                try
                {
                    await _startup.WhenReady.WaitAsync(_stopping.Token);
                    await StartInnerAsync(_stopping.Token);
                    WebLog.StartedOnceStoreReady(_logger, what);
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    // Stopped before the store came: nothing to start.
                }
                catch (Exception e)
                {
                    // Nobody awaits this task: a service that cannot start stops the application, as it would have
                    // stopped the start had the store been ready then.
                    WebLog.DeferredStartFailed(_logger, what, e);
                    _startup.MarkFailed(e);
                    services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
                }
            });
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await _stopping.CancelAsync();
            if (_deferred is not null) await _deferred.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            IHostedService[] started;
            lock (_started) started = [.. _started];
            for (var i = started.Length - 1; i >= 0; i--) await started[i].StopAsync(cancellationToken);
        }

        public void Dispose()
        {
            _stopping.Dispose();
            foreach (var service in _inner) (service as IDisposable)?.Dispose();
        }

        private async Task StartInnerAsync(CancellationToken cancellationToken)
        {
            foreach (var service in _inner)
            {
                await service.StartAsync(cancellationToken);
                lock (_started) _started.Add(service);
            }
        }
    }
}
