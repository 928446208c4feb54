using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHealth.Data.Configuration;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.ToTable("accounts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.ExternalId).HasMaxLength(StoreLengths.Key);
        builder.Property(a => a.Name).HasMaxLength(StoreLengths.Name);
        builder.Property(a => a.Arr).HasPrecision(18, 2);
        builder.Property(a => a.Segment).HasConversion<short>();
        builder.Property(a => a.Plan).HasMaxLength(StoreLengths.Code);
        builder.Property(a => a.Csm).HasMaxLength(StoreLengths.Name);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.TenantId, a.ExternalId }).IsUnique();
    }
}

internal sealed class ProviderConfiguration : IEntityTypeConfiguration<Provider>
{
    /// <summary>The platform's provider catalogue, seeded by the first migration.</summary>
    internal static readonly Provider[] Catalogue =
    [
        new() { Id = 1, Key = "salesforce", Name = "Salesforce", Category = "crm" },
        new() { Id = 2, Key = "hubspot", Name = "HubSpot", Category = "crm" },
        new() { Id = 3, Key = "bamboohr", Name = "BambooHR", Category = "hris" },
        new() { Id = 4, Key = "zendesk", Name = "Zendesk", Category = "ticketing" },
        new() { Id = 5, Key = "slack", Name = "Slack", Category = "messaging" },
        new() { Id = 6, Key = "netsuite", Name = "NetSuite", Category = "erp" },
        new() { Id = 7, Key = "workday", Name = "Workday", Category = "hris" },
        new() { Id = 8, Key = "quickbooks", Name = "QuickBooks", Category = "accounting" },
    ];

    public void Configure(EntityTypeBuilder<Provider> builder)
    {
        builder.ToTable("providers");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Key).HasMaxLength(StoreLengths.Key);
        builder.Property(p => p.Name).HasMaxLength(StoreLengths.Name);
        builder.Property(p => p.Category).HasMaxLength(StoreLengths.Code);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
        // A tenant's keys are its own (one tenant's "acme-erp" is not another's). Platform rows have no tenant, and
        // NULLs are distinct in a unique index on both engines, so their keys get a unique index of their own. That a
        // tenant key must not shadow a platform key is checked by ingestion (it spans the two indexes).
        builder.HasIndex(p => new { p.TenantId, p.Key }).IsUnique();
        builder.HasIndex(p => p.Key).IsUnique().HasFilter("tenant_id IS NULL");
        builder.HasData(Catalogue);
    }
}

internal sealed class ConnectionConfiguration : IEntityTypeConfiguration<Connection>
{
    public void Configure(EntityTypeBuilder<Connection> builder)
    {
        builder.ToTable("connections");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.ExternalId).HasMaxLength(StoreLengths.Key);
        builder.Property(c => c.Status).HasConversion<short>();
        builder.Property(c => c.AuthKind).HasConversion<short>();
        builder.Property(c => c.Scopes).HasMaxLength(StoreLengths.Long);
        builder.Property(c => c.InstanceUrl).HasMaxLength(StoreLengths.Long);
        builder.Property(c => c.ApiVersion).HasMaxLength(StoreLengths.Code);
        builder.Property(c => c.Values).HasColumnName("connection_values").HasMaxLength(StoreLengths.Long);
        builder.Property(c => c.SyncCursor).HasMaxLength(StoreLengths.Long);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Account>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Provider>().WithMany().HasForeignKey(c => c.ProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.TenantId, c.ExternalId }).IsUnique();
        // Not unique: an account may hold two connections to one provider (e.g. sandbox and production orgs).
        builder.HasIndex(c => new { c.AccountId, c.ProviderId });
    }
}

internal sealed class SupportTicketConfiguration : IEntityTypeConfiguration<SupportTicket>
{
    public void Configure(EntityTypeBuilder<SupportTicket> builder)
    {
        builder.ToTable("support_tickets");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.ExternalId).HasMaxLength(StoreLengths.Key);
        builder.Property(t => t.Subject).HasMaxLength(StoreLengths.Text);
        builder.Property(t => t.Priority).HasMaxLength(20);
        builder.Property(t => t.Category).HasConversion<short>();
        builder.Property(t => t.Status).HasConversion<short>();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Provider>().WithMany().HasForeignKey(t => t.ProviderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(t => new { t.TenantId, t.ExternalId }).IsUnique();
        builder.HasIndex(t => new { t.AccountId, t.OpenedAt });
    }
}

internal sealed class SurveyResponseConfiguration : IEntityTypeConfiguration<SurveyResponse>
{
    public void Configure(EntityTypeBuilder<SurveyResponse> builder)
    {
        builder.ToTable("survey_responses", t => t.HasCheckConstraint("ck_survey_responses_score", "score BETWEEN 0 AND 10"));
        builder.HasKey(s => s.Id);
        builder.Property(s => s.ExternalId).HasMaxLength(StoreLengths.Key);
        builder.Property(s => s.UserId).HasMaxLength(StoreLengths.Key);
        builder.Property(s => s.Comment).HasMaxLength(StoreLengths.Text);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Account>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.TenantId, s.ExternalId }).IsUnique();
        builder.HasIndex(s => new { s.AccountId, s.RespondedAt });
    }
}

internal sealed class AccountGroundTruthConfiguration : IEntityTypeConfiguration<AccountGroundTruth>
{
    public void Configure(EntityTypeBuilder<AccountGroundTruth> builder)
    {
        builder.ToTable("account_ground_truths");
        builder.HasKey(g => g.AccountId);
        builder.Property(g => g.AccountId).ValueGeneratedNever();
        builder.Property(g => g.Drivers).HasMaxLength(StoreLengths.Long);
        builder.HasOne<Account>().WithOne().HasForeignKey<AccountGroundTruth>(g => g.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(g => g.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(g => g.TenantId);
    }
}
