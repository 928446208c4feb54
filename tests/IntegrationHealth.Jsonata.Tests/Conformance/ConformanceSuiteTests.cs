namespace IntegrationHealth.Jsonata.Tests.Conformance;

/// <summary>The conformance suite is part of the repository, so a fresh clone runs every case (no skip for a missing folder).</summary>
public sealed class ConformanceSuiteTests
{
    [Fact]
    public void Suite_InRepository_HasEveryCaseAndItsLicence()
    {
        // The override is for trying another copy; the default must be the repository's own.
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("JSONATA_SUITE"))) return;

        Assert.True(ConformanceSuite.Exists, ConformanceSuite.MissingMessage);
        var root = ConformanceSuite.Root!;
        Assert.EndsWith(Path.Combine("Conformance", "suite"), root.TrimEnd(Path.DirectorySeparatorChar));
        Assert.Contains("MIT", File.ReadAllText(Path.Combine(root, "LICENSE")));
        Assert.Equal(102, Directory.GetDirectories(Path.Combine(root, "groups")).Length);
        Assert.Equal(28, Directory.GetFiles(Path.Combine(root, "datasets"), "*.json").Length);
        // 1492 cases as the suite's README states (1142 case files, 22 of them arrays of cases).
        Assert.Equal(1492, ConformanceSuite.Cases.Count);
    }
}
