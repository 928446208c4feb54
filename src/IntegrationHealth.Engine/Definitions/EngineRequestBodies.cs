using System.Text;
using System.Text.Unicode;
using IntegrationHealth.Data;
using IntegrationHealth.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHealth.Engine.Definitions;

/// <summary>One error of a refused definition or override, in the shared problem shape (<c>field</c> is the JSONPath)
/// plus JSONata's <c>code</c> and <c>position</c> for an expression that does not compile.</summary>
public sealed record DefinitionProblemError(int Index, string Field, string Message, string? Code, int? Position);

/// <summary>The bodies and problems of the engine's configuration endpoints.</summary>
internal static class EngineRequestBodies
{
    /// <summary>The body as text when it is JSON-typed, within <paramref name="limit"/> bytes and valid UTF-8.</summary>
    public static async Task<(string? Text, ProblemHttpResult? Problem)> ReadJsonAsync(HttpContext context, int limit, string setting)
    {
        if (BodyFormat.Of(context.Request.ContentType) is not BodyFormat.Kind.Json)
            return (null, Problems.UnsupportedMediaType("Send the document as 'application/json', UTF-8."));
        using var body = await RequestBody.ReadAsync(context, limit, context.RequestAborted);
        if (body is null) return (null, Problems.PayloadTooLarge($"The body exceeds {limit} bytes ({setting})."));
        var utf8 = BodyFormat.WithoutBom(body.Span);
        if (!Utf8.IsValid(utf8)) return (null, Problems.BadRequest("The body is not valid UTF-8."));
        return (Encoding.UTF8.GetString(utf8), null);
    }

    /// <summary>400 listing every error with its JSONPath (and JSONata code and position); nothing was stored.</summary>
    public static ProblemHttpResult Invalid(string title, IReadOnlyList<DefinitionError> errors, string? prefix = null)
    {
        var problem = Problems.Create(StatusCodes.Status400BadRequest,
            errors.Count == 1 ? $"{errors[0].Path}: {errors[0].Message}" : $"{errors.Count} errors; see 'errors' (field is a JSONPath).", title);
        problem.Extensions[Problems.ErrorsKey] = errors.Select(e => new DefinitionProblemError(-1, e.Path,
            prefix is null ? e.Message : $"{prefix}: {e.Message}", e.Code, e.Position)).ToList();
        problem.Extensions["errorCount"] = errors.Count;
        problem.Extensions["errorsTruncated"] = false;
        return TypedResults.Problem(problem);
    }

    /// <summary>Increments the tenant's configuration counter, in the caller's transaction: every process's cache of the
    /// tenant sees the change at its next check.</summary>
    public static Task BumpConfigVersionAsync(IntegrationHealthDbContext db, int tenantId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO engine_config_versions (tenant_id, version) VALUES ({tenantId}, 1)
            ON CONFLICT (tenant_id) DO UPDATE SET version = engine_config_versions.version + 1
            """, cancellationToken);

    /// <summary>A provider key as definitions spell it (the schema's pattern).</summary>
    public static bool IsProviderKey(string key) =>
        key.Length is >= 2 and <= 63 && char.IsAsciiLetterLower(key[0])
        && key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');
}
