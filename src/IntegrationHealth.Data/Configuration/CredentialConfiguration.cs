using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHealth.Data.Configuration;

/// <summary>The credential vault: one row per connection, deleted with it.</summary>
internal sealed class ConnectionCredentialConfiguration : IEntityTypeConfiguration<ConnectionCredential>
{
    public void Configure(EntityTypeBuilder<ConnectionCredential> builder)
    {
        builder.ToTable("connection_credentials");
        builder.HasKey(c => new { c.TenantId, c.ConnectionId });
        // No length limit: a Data Protection payload grows with the fields it holds.
        builder.Property(c => c.RefreshLeaseOwner).HasMaxLength(StoreLengths.Code);
        builder.HasOne<Connection>().WithOne().HasForeignKey<ConnectionCredential>(c => c.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.ConnectionId).IsUnique();
        // The proactive refresh job's scan: soonest expiry first.
        builder.HasIndex(c => c.ExpiresAt);
    }
}

internal sealed class OAuthAppConfiguration : IEntityTypeConfiguration<OAuthApp>
{
    public void Configure(EntityTypeBuilder<OAuthApp> builder)
    {
        builder.ToTable("oauth_apps");
        builder.HasKey(a => new { a.TenantId, a.ProviderKey });
        builder.Property(a => a.ProviderKey).HasMaxLength(StoreLengths.Key);
        builder.Property(a => a.ClientId).HasMaxLength(StoreLengths.Long);
        builder.Property(a => a.Scopes).HasMaxLength(StoreLengths.Long);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ConnectStateConfiguration : IEntityTypeConfiguration<ConnectState>
{
    public void Configure(EntityTypeBuilder<ConnectState> builder)
    {
        builder.ToTable("connect_states");
        builder.HasKey(s => s.Nonce);
        builder.Property(s => s.Nonce).HasMaxLength(StoreLengths.Code);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.ExpiresAt);
    }
}

internal sealed class CredentialExportConfiguration : IEntityTypeConfiguration<CredentialExport>
{
    public void Configure(EntityTypeBuilder<CredentialExport> builder)
    {
        builder.ToTable("credential_exports");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Filter).HasMaxLength(StoreLengths.Long);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.TenantId, e.ExportedAt });
    }
}
