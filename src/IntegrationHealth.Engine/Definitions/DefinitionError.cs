namespace IntegrationHealth.Engine.Definitions;

/// <summary>
/// One problem in a provider definition. <see cref="Path"/> is a JSONPath into the document (<c>$.resources.contacts
/// .operations.list.pagination.strategy</c>); for an expression that does not compile, <see cref="Code"/> and
/// <see cref="Position"/> are JSONata's error code and the offset in the expression.
/// </summary>
public sealed record DefinitionError(string Path, string Message, string? Code = null, int? Position = null)
{
    public override string ToString() =>
        Code is null ? $"{Path}: {Message}" : $"{Path}: {Message} ({Code} at position {Position})";
}

/// <summary>A definition was refused; <see cref="Errors"/> lists every problem found.</summary>
public sealed class ProviderDefinitionException(string? source, IReadOnlyList<DefinitionError> errors)
    : Exception($"Provider definition{(source is null ? "" : " " + source)} is invalid: " + string.Join("; ", errors))
{
    public IReadOnlyList<DefinitionError> Errors { get; } = errors;
}
