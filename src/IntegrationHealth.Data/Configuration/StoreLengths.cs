namespace IntegrationHealth.Data.Configuration;

/// <summary>Column length limits shared by the entity configurations (and by callers that validate input).</summary>
public static class StoreLengths
{
    /// <summary>Slugs and external ids supplied by tenants.</summary>
    public const int Key = 200;

    /// <summary>Display names.</summary>
    public const int Name = 300;

    /// <summary>Short codes: plan names, priorities, API versions, categories.</summary>
    public const int Code = 100;

    /// <summary>URLs, cursors and scope lists.</summary>
    public const int Long = 2000;

    /// <summary>Free text such as survey comments and ticket subjects.</summary>
    public const int Text = 4000;

    /// <summary>Telemetry resource and user id; a failure's field and record id.</summary>
    public const int TelemetryText = 200;

    /// <summary>An endpoint route template.</summary>
    public const int EndpointTemplate = 300;

    /// <summary>A failure's error message.</summary>
    public const int ErrorMessage = 1000;

    /// <summary>API key lookup prefix.</summary>
    public const int ApiKeyPrefix = 64;
}
