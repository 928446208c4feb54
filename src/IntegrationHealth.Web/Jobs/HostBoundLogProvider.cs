using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLogLevel = Hangfire.Logging.LogLevel;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace IntegrationHealth.Web.Jobs;

/// <summary>
/// Hangfire's log provider, in place of Hangfire.AspNetCore's. Hangfire keeps its log provider in a process-wide
/// static, and some of its types (e.g. <c>PostgreSqlObjectsInstaller</c>) take their logger in a static constructor.
/// With the stock provider, a logger taken while one host was alive points at that host's <see cref="ILoggerFactory"/>
/// for ever: once that host is disposed, the type initializer throws <see cref="ObjectDisposedException"/> and the type
/// is unusable for the rest of the process (seen with several hosts in one test process, one after another). This
/// provider resolves the logger on first use and drops messages once the factory is disposed, instead of throwing.
/// </summary>
internal sealed class HostBoundLogProvider(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name) => new HostLog(factory, name);

    private sealed class HostLog(ILoggerFactory factory, string name) : ILog
    {
        private Microsoft.Extensions.Logging.ILogger? _logger;

        public bool Log(HangfireLogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                _logger ??= factory.CreateLogger(name);
                var level = logLevel switch
                {
                    HangfireLogLevel.Trace => MsLogLevel.Trace,
                    HangfireLogLevel.Debug => MsLogLevel.Debug,
                    HangfireLogLevel.Info => MsLogLevel.Information,
                    HangfireLogLevel.Warn => MsLogLevel.Warning,
                    HangfireLogLevel.Error => MsLogLevel.Error,
                    _ => MsLogLevel.Critical,
                };
                if (messageFunc is null) return _logger.IsEnabled(level);
                if (!_logger.IsEnabled(level)) return false;
                _logger.Log(level, 0, messageFunc(), exception, static (message, _) => message);
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
