using System.Buffers.Text;
using System.Globalization;
using System.Text;
using IntegrationHealth.Data.Entities;

namespace IntegrationHealth.Ingestion.Events;

/// <summary>
/// The opaque cursor of an account's event list, which is ordered newest first: the instant of the last event returned
/// and how many events at exactly that instant have been returned so far. Keyset on time (an index seek, whatever the
/// page), with a count only for the ties at one instant.
/// </summary>
public readonly record struct EventCursor(DateTime OccurredAt, int SeenAtInstant)
{
    private const string Prefix = "e1.";

    /// <summary>The cursor after <paramref name="page"/> (non-empty, in list order), continuing <paramref name="previous"/>.</summary>
    public static EventCursor After(EventCursor? previous, IReadOnlyList<TelemetryEvent> page)
    {
        var last = page[^1].OccurredAt;
        var seen = page.Count(e => e.OccurredAt == last);
        if (previous is { } p && p.OccurredAt == last) seen += p.SeenAtInstant;
        return new EventCursor(last, seen);
    }

    /// <summary>The cursor's text, or null when <paramref name="text"/> is not one this API returned.</summary>
    public static EventCursor? Parse(string text)
    {
        if (text.Length is 0 or > 64 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return null;
        Span<byte> bytes = stackalloc byte[48];
        try
        {
            if (!Base64Url.TryDecodeFromChars(text, bytes, out var written)) return null;
            var parts = Encoding.ASCII.GetString(bytes[..written]);
            if (!parts.StartsWith(Prefix, StringComparison.Ordinal)) return null;
            var fields = parts[Prefix.Length..].Split('.');
            if (fields.Length != 2
                || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks > DateTime.MaxValue.Ticks
                || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seen))
                return null;
            return new EventCursor(new DateTime(ticks, DateTimeKind.Utc), seen);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{OccurredAt.Ticks}.{SeenAtInstant}")));
}
