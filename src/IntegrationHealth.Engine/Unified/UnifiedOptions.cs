namespace IntegrationHealth.Engine.Unified;

/// <summary>Limits of the unified API (configuration section <c>Engine:Unified</c>).</summary>
public sealed class UnifiedOptions
{
    public const string Section = "Engine:Unified";

    /// <summary>Records per response when <c>limit</c> is not given.</summary>
    public int DefaultLimit { get; set; } = 100;

    /// <summary>Largest <c>limit</c> accepted.</summary>
    public int MaxLimit { get; set; } = 10_000;

    /// <summary>Largest create or update body, in bytes; more is a 413.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a cursor we gave out stays valid; an older one is a 400.</summary>
    public TimeSpan CursorLifetime { get; set; } = TimeSpan.FromHours(24);
}
