using IntegrationHealth.Analytics.Migration;

namespace IntegrationHealth.Analytics.Tests.Signals;

public sealed class MigrationTierTests
{
    private static readonly ComplexityInputs Simple = new(2, 3, false, 1);

    [Theory]
    [InlineData(10_000, MigrationTier.Automated)]
    [InlineData(24_999.99, MigrationTier.Automated)]
    [InlineData(25_000, MigrationTier.Guided)]
    [InlineData(100_000, MigrationTier.Guided)]
    [InlineData(100_000.01, MigrationTier.WhiteGlove)]
    public void Decide_LowComplexity_FollowsTheArrBand(double arr, MigrationTier tier) =>
        Assert.Equal(tier, MigrationTiers.Decide((decimal)arr, Simple).Tier);

    [Theory]
    [InlineData(10, 0, false, 0, Complexity.Low)]
    [InlineData(11, 0, false, 0, Complexity.Medium)]
    [InlineData(0, 11, false, 0, Complexity.Medium)]
    [InlineData(0, 0, false, 11, Complexity.Medium)]
    [InlineData(0, 0, true, 0, Complexity.Medium)]
    [InlineData(11, 11, false, 0, Complexity.High)]
    [InlineData(31, 0, false, 0, Complexity.High)]
    public void ComplexityOf_MoreThanTenOfAnyIsAtLeastMedium(int fields, int endpoints, bool bidirectional, int flows, Complexity expected) =>
        Assert.Equal(expected, MigrationTiers.ComplexityOf(new ComplexityInputs(fields, endpoints, bidirectional, flows)));

    [Fact]
    public void Decide_MediumComplexitySmallAccount_IsGuided()
    {
        var decision = MigrationTiers.Decide(10_000, new ComplexityInputs(12, 0, false, 0));
        Assert.Equal(MigrationTier.Guided, decision.Tier);
        Assert.False(decision.NegotiateScope);
    }

    [Fact]
    public void Decide_HighComplexityUnder25K_IsFlaggedNegotiateScope()
    {
        var decision = MigrationTiers.Decide(20_000, new ComplexityInputs(40, 12, true, 15));
        Assert.True(decision.NegotiateScope);
        Assert.Equal(Complexity.High, decision.Complexity);
        Assert.Contains("negotiate scope", decision.Reason);
    }

    [Fact]
    public void Decide_HighComplexityMidBand_IsWhiteGlove() =>
        Assert.Equal(MigrationTier.WhiteGlove, MigrationTiers.Decide(50_000, new ComplexityInputs(40, 0, false, 0)).Tier);
}
