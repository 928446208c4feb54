namespace IntegrationHealth.Ingestion.Providers;

/// <summary>The rule for the key of a provider a tenant registers: a slug, so keys read the same in URLs, logs and
/// dashboards, and no two differ only in case or spacing.</summary>
public static class ProviderKeys
{
    /// <summary>Longest key a tenant may register.</summary>
    public const int MaxLength = 100;

    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "1 to 100 lower-case letters (a-z), digits and '-', starting with a letter or digit";

    /// <summary>Whether <paramref name="key"/> follows <see cref="Rule"/>.</summary>
    public static bool IsValid(string? key)
    {
        if (key is null || key.Length is 0 or > MaxLength || key[0] == '-') return false;
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-') return false;
        }
        return true;
    }
}

/// <summary>
/// What happens, under <c>Ingestion:UnknownProviders</c>, to the provider keys of one batch that the tenant's catalogue
/// lacks: which to register on first sight, and which to refuse with which message (by key).
/// </summary>
public sealed record UnknownProviderPlan(IReadOnlyList<string> ToRegister, IReadOnlyDictionary<string, string> Refusals)
{
    /// <summary>The plan for <paramref name="unknownKeys"/> (keys absent from <paramref name="catalogue"/>).</summary>
    public static UnknownProviderPlan For(IEnumerable<string> unknownKeys, ProviderCatalog.Snapshot catalogue, IngestionOptions options)
    {
        var refusals = new Dictionary<string, string>(StringComparer.Ordinal);
        var register = new List<string>();
        foreach (var key in unknownKeys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (options.UnknownProviders == UnknownProviderPolicy.Reject)
                refusals[key] = $"Unknown provider '{key}'; register it first with POST /v1/providers (GET /v1/providers lists the known ones).";
            else if (!ProviderKeys.IsValid(key))
                refusals[key] = $"Unknown provider '{key}', and it cannot be registered on first sight: a provider key is {ProviderKeys.Rule}.";
            else
                register.Add(key);
        }

        if (register.Count > 0 && catalogue.OwnCount + register.Count > options.MaxProvidersPerTenant)
        {
            foreach (var key in register)
                refusals[key] = $"Unknown provider '{key}', and it cannot be registered: the tenant has {catalogue.OwnCount} providers " +
                    $"of its own, and may have at most {options.MaxProvidersPerTenant}.";
            register.Clear();
        }

        return new UnknownProviderPlan(register, refusals);
    }

    /// <summary>The message for an item naming <paramref name="key"/> that is still unknown after the plan was carried
    /// out: its refusal, or the plain "unknown" message (a key the store would not register, e.g. a platform key added
    /// meanwhile).</summary>
    public string MessageFor(string key) =>
        Refusals.TryGetValue(key, out var message) ? message : $"Unknown provider '{key}'; see GET /v1/providers.";
}
