namespace IntegrationHealth.Benchmarks;

/// <summary>What every suite prints and does around its parts: the machine's load, and one part failing without
/// hiding the others' figures.</summary>
internal static class BenchmarkRun
{
    /// <summary>The 1/5/15-minute load averages (Linux), to judge how much of the machine the run had; "n/a" where
    /// they cannot be read.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    /// <summary>Runs one part of a suite, printing its name first; false (with the error printed) when it failed.</summary>
    public static async Task<bool> Attempt(string name, Func<Task> run)
    {
        try
        {
            Console.WriteLine($"running: {name}…");
            await run();
            return true;
        }
        // One part failing (a database error, the API not starting, a refused batch) must not hide the others' figures.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.WriteLine($"!! {name} failed: {e.Message}");
            return false;
        }
    }
}
