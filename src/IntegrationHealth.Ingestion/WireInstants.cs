namespace IntegrationHealth.Ingestion;

/// <summary>The rules every client-supplied instant follows, in events and upserted items alike.</summary>
public static class WireInstants
{
    /// <summary>Instants before this are rejected (clock bugs, epoch zero).</summary>
    public static readonly DateTime EarliestAccepted = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Whether the time part of an ISO 8601 text ends in Z or a numeric offset: "local" times without one are
    /// ambiguous.</summary>
    public static bool HasExplicitOffset(ReadOnlySpan<byte> text)
    {
        var t = text.IndexOfAny((byte)'T', (byte)'t');
        if (t < 0) return false;
        var time = text[(t + 1)..];
        return time.IndexOfAny("Zz+-"u8) >= 0;
    }

    /// <inheritdoc cref="HasExplicitOffset(ReadOnlySpan{byte})"/>
    public static bool HasExplicitOffset(ReadOnlySpan<char> text)
    {
        var t = text.IndexOfAny('T', 't');
        if (t < 0) return false;
        return text[(t + 1)..].IndexOfAny("Zz+-") >= 0;
    }
}
