using System.Net.Http.Headers;
using System.Text;
using IntegrationHealth.Engine.Definitions;
using IntegrationHealth.Engine.Execution;

namespace IntegrationHealth.Engine.Auth;

/// <summary>
/// Puts a connection's credential on a request as its definition says: a header or query parameter rendered from a
/// template over credential fields (the kind's default for bearer tokens), or HTTP Basic from username and password
/// templates. Applied last, so nothing in a definition's headers or pagination can overwrite it.
/// </summary>
internal static class CredentialInjector
{
    public static void Apply(HttpRequestMessage request, LoadedProvider provider, string resource, ConnectionCredentials credentials)
    {
        var auth = provider.Definition.Auth;
        string Field(string name) => credentials[name] is { Length: > 0 } value ? value
            : throw new ConnectionConfigurationException(provider.Key, resource, $"The connection has no '{name}' credential, which {auth.Kind} auth needs.");

        if (auth.Kind == AuthKinds.Basic)
        {
            var user = PlaceholderTemplate.Parse(auth.Username ?? "").Render(Field);
            var password = PlaceholderTemplate.Parse(auth.Password ?? "").Render(Field);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        if ((auth.Inject ?? AuthKinds.DefaultInjection(auth.Kind)) is not { } inject) return;
        var value = PlaceholderTemplate.Parse(inject.Value).Render(Field);
        if (inject.Header is { } header)
        {
            request.Headers.Remove(header);
            request.Headers.TryAddWithoutValidation(header, value);
        }
        else if (inject.Query is { } query)
        {
            request.RequestUri = UriQuery.With(request.RequestUri!, query, value);
        }
    }
}
