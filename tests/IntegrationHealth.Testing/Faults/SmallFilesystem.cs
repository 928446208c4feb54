namespace IntegrationHealth.Testing.Faults;

/// <summary>
/// A real, small filesystem for disk-full tests: a size-limited tmpfs mounted on a fresh temporary directory (root
/// only). <see cref="Fill"/> takes its free space with a filler file until writes fail with "no space left on device",
/// as a full disk does; <see cref="Free"/> deletes the filler. Disposing unmounts it (lazily, so a file a test still
/// has open does not keep it mounted) and deletes the directory.
/// </summary>
public sealed class SmallFilesystem : IDisposable
{
    private static readonly Lazy<string?> MountProblem = new(ProbeMount);

    private SmallFilesystem(string path) => Path = path;

    /// <summary>Why no filesystem can be mounted here (not root, or mounting is refused), or null when it can. Always null
    /// on CI (<c>CI=true</c>), where the disk-full tests must run.</summary>
    public static string? SkipReason => TestServers.IsCi ? null : MountProblem.Value;

    /// <summary>Where it is mounted.</summary>
    public string Path { get; }

    /// <summary>Free bytes on it, as the service sees them.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    private string FillerPath => System.IO.Path.Combine(Path, "filler.bin");

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> (rounded up to pages); <paramref name="owner"/> owns its root
    /// (PostgreSQL wants its tablespace directories its own).</summary>
    public static async Task<SmallFilesystem> MountAsync(long bytes, string? owner = null)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ih-small-fs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        try
        {
            await Commands.RunCheckedAsync("mount", ["-t", "tmpfs", "-o", $"size={bytes},mode=0777", "tmpfs", path]);
        }
        catch
        {
            Directory.Delete(path);
            throw;
        }

        var filesystem = new SmallFilesystem(path);
        if (owner is not null) await Commands.RunCheckedAsync("chown", [owner + ":", path]);
        return filesystem;
    }

    /// <summary>Fills the free space with a filler file, until a write fails for lack of space.</summary>
    public void Fill()
    {
        var chunk = new byte[64 * 1024];
        using var filler = new FileStream(FillerPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        // Smaller and smaller writes: what is left after the last 64 KB that fit is taken in pages, then bytes.
        foreach (var size in new[] { chunk.Length, 4096, 1 })
        {
            try
            {
                while (true) filler.Write(chunk, 0, size);
            }
            catch (IOException)
            {
                // ENOSPC: this size no longer fits.
            }
        }
    }

    /// <summary>Deletes the filler: the space <see cref="Fill"/> took is free again.</summary>
    public void Free() => File.Delete(FillerPath);

    public void Dispose()
    {
        // Lazy: a connection pool may still hold a database file open on it.
        Commands.RunAsync("umount", ["-l", Path]).GetAwaiter().GetResult();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover directory in the temporary folder is harmless.
        }
    }

    private static string? ProbeMount()
    {
        if (!OperatingSystem.IsLinux()) return "Disk-full tests skipped: they mount a tmpfs, which needs Linux.";
        if (!Commands.IsRoot) return "Disk-full tests skipped: mounting a small tmpfs needs root (with CI=true they run and fail).";
        try
        {
            MountAsync(64 * 1024).GetAwaiter().GetResult().Dispose();
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            return "Disk-full tests skipped: mounting a small tmpfs failed here (" + e.Message.Split('\n')[0] + ").";
        }
    }
}
