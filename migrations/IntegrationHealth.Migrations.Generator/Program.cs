using System.Reflection;
using IntegrationHealth.Migrations.Postgres;
using IntegrationHealth.Migrations.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

// Scaffolds an EF Core migration (migration, designer and model snapshot files) into each provider's migrations
// project with EF's own design-time services, i.e. what `dotnet ef migrations add` does, for machines without dotnet-ef.
// Usage: dotnet run --project migrations/IntegrationHealth.Migrations.Generator -- <MigrationName> [sqlite|postgres|both]

if (args.Length is < 1 or > 2 || !System.Text.RegularExpressions.Regex.IsMatch(args[0], "^[A-Z][A-Za-z0-9]*$"))
{
    Console.Error.WriteLine("usage: IntegrationHealth.Migrations.Generator <MigrationName in PascalCase> [sqlite|postgres|both]");
    return 2;
}

var name = args[0];
var which = args.Length == 2 ? args[1].ToLowerInvariant() : "both";
if (which is not ("sqlite" or "postgres" or "both"))
{
    Console.Error.WriteLine($"unknown provider '{args[1]}': use sqlite, postgres or both");
    return 2;
}

var migrationsRoot = FindMigrationsRoot();
var exit = 0;
if (which is "sqlite" or "both")
{
    exit |= Scaffold(name, typeof(SqliteDesignTimeFactory).Assembly, new SqliteDesignTimeFactory(), migrationsRoot);
}

if (which is "postgres" or "both")
{
    exit |= Scaffold(name, typeof(PostgresDesignTimeFactory).Assembly, new PostgresDesignTimeFactory(), migrationsRoot);
}

return exit;

static int Scaffold(string name, Assembly migrationsAssembly, IDesignTimeDbContextFactory<IntegrationHealth.Data.IntegrationHealthDbContext> factory,
    string migrationsRoot)
{
    var project = migrationsAssembly.GetName().Name!;
    var projectDir = Path.Combine(migrationsRoot, project);
    using var context = factory.CreateDbContext([]);
    if (!context.Database.HasPendingModelChanges())
    {
        Console.WriteLine($"{project}: the model matches the latest snapshot; no migration written.");
        return 0;
    }

    var reporter = new OperationReporter(new OperationReportHandler(
        error => Console.Error.WriteLine($"error: {error}"),
        warning => Console.Error.WriteLine($"warning: {warning}"),
        information => Console.WriteLine(information),
        verbose => { }));
    var services = new DesignTimeServicesBuilder(migrationsAssembly, Assembly.GetExecutingAssembly(), reporter, [])
        .Build(context);
    using var scope = services.CreateScope();
    var scaffolder = scope.ServiceProvider.GetRequiredService<IMigrationsScaffolder>();
    var migration = scaffolder.ScaffoldMigration(name, project, "Migrations", "C#");
    var files = scaffolder.Save(projectDir, migration, Path.Combine(projectDir, "Migrations"));
    Console.WriteLine($"{project}: wrote {files.MigrationFile}, {files.MetadataFile}, {files.SnapshotFile}");
    return 0;
}

static string FindMigrationsRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "migrations");
        if (File.Exists(Path.Combine(dir.FullName, "IntegrationHealth.sln")) && Directory.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new InvalidOperationException("Cannot find the repository's migrations/ folder above " + AppContext.BaseDirectory);
}
