using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Evaluation;

/// <summary>Wraps a public <see cref="JsonataHostFunction"/> as a function value, converting arguments and result.</summary>
internal static class HostFunctionAdapter
{
    public static NativeFunction Create(string name, JsonataHostFunction function, Signature? signature)
    {
        var arity = signature?.ParameterCount ?? 1;
        return new NativeFunction(name, arity, (in CallSite site, object?[] args) =>
        {
            var converted = new JsonataResult[args.Length];
            var budget = site.Context.MaxOutputSize;
            for (var i = 0; i < args.Length; i++)
            {
                converted[i] = args[i] is null
                    ? JsonataResult.Undefined
                    : JsonataResult.Of(JsonConversion.ToNode(args[i], ref budget, site.Context.MaxOutputSize));
            }

            JsonataResult result;
            try
            {
                result = function(converted);
            }
            catch (JsonataException)
            {
                throw;
            }
            catch (Exception ex) when (ex is not (OutOfMemoryException or InsufficientExecutionStackException))
            {
                throw new JsonataException("D3200", $"Host function ${name} failed: {ex.Message}", ex);
            }

            return result.IsUndefined ? null : JsonConversion.FromNode(result.Value);
        })
        {
            Signature = signature,
        };
    }
}
