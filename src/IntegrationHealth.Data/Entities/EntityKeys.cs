namespace IntegrationHealth.Data.Entities;

/// <summary>
/// A tenant-owned row that tenants address by their own external id (unique per tenant). Shared helpers (keyset paging,
/// bulk upserts) work on any such entity, so a new kind of row needs no new paging or upsert loop.
/// </summary>
public interface ITenantKeyed
{
    /// <summary>The store's row id (keyset paging order).</summary>
    int Id { get; }

    /// <summary>The owning tenant.</summary>
    int TenantId { get; set; }

    /// <summary>The tenant's own id for the row.</summary>
    string ExternalId { get; set; }
}

/// <summary>A tenant-keyed row that belongs to one of the tenant's accounts.</summary>
public interface IAccountOwned : ITenantKeyed
{
    /// <summary>The owning account's row id.</summary>
    int AccountId { get; set; }
}
