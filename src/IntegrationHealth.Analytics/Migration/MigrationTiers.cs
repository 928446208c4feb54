namespace IntegrationHealth.Analytics.Migration;

public enum MigrationTier
{
    /// <summary>Tier 1: automated migration.</summary>
    Automated = 1,
    /// <summary>Tier 2: guided.</summary>
    Guided = 2,
    /// <summary>Tier 3: white glove.</summary>
    WhiteGlove = 3,
}

public enum Complexity
{
    Low = 0,
    Medium = 1,
    High = 2,
}

/// <summary>What makes an account's integrations hard to migrate, counted over its connections.</summary>
public sealed record ComplexityInputs(int CustomFields, int DistinctEndpoints, bool Bidirectional, int ActiveFlows);

/// <summary>An account's place in the decision matrix.</summary>
public sealed record TierDecision(MigrationTier Tier, Complexity Complexity, bool NegotiateScope, string Reason);

/// <summary>
/// The migration playbook's decision matrix. ARR bands: under $25K, $25K–$100K, over $100K. Complexity: more than 10
/// of any of custom fields, distinct endpoints or active flows (or any bidirectional sync) makes it at least medium;
/// more than 10 of two or more of the counts, or more than 30 of any, is high. The tier is the higher of the ARR band's
/// tier and the complexity's (low → Tier 1, medium → Tier 2, high → Tier 3), except that high complexity under $25K
/// stays Tier 2 and is flagged "negotiate scope": white glove does not pay for itself there.
/// </summary>
public static class MigrationTiers
{
    public const decimal LowArr = 25_000m;
    public const decimal HighArr = 100_000m;
    public const int ManyThreshold = 10;
    public const int VeryManyThreshold = 30;

    public static Complexity ComplexityOf(ComplexityInputs inputs)
    {
        int[] counts = [inputs.CustomFields, inputs.DistinctEndpoints, inputs.ActiveFlows];
        var many = counts.Count(c => c > ManyThreshold);
        if (many >= 2 || counts.Any(c => c > VeryManyThreshold)) return Complexity.High;
        return many == 1 || inputs.Bidirectional ? Complexity.Medium : Complexity.Low;
    }

    public static TierDecision Decide(decimal arr, ComplexityInputs inputs)
    {
        var complexity = ComplexityOf(inputs);
        var arrTier = arr < LowArr ? MigrationTier.Automated : arr <= HighArr ? MigrationTier.Guided : MigrationTier.WhiteGlove;
        var complexityTier = (MigrationTier)((int)complexity + 1);
        if (arr < LowArr && complexity == Complexity.High)
            return new TierDecision(MigrationTier.Guided, complexity, true,
                "high complexity under $25K ARR: negotiate scope before migrating");
        var tier = (MigrationTier)Math.Max((int)arrTier, (int)complexityTier);
        var band = arr < LowArr ? "ARR under $25K" : arr <= HighArr ? "ARR $25K–$100K" : "ARR over $100K";
        return new TierDecision(tier, complexity, false, $"{band}, {complexity.ToString().ToLowerInvariant()} complexity");
    }
}
