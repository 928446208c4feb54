using IntegrationHealth.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHealth.Data.Configuration;

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.ToTable("alerts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.DedupKey).HasMaxLength(StoreLengths.Key);
        builder.Property(a => a.Kind).HasConversion<short>();
        builder.Property(a => a.Severity).HasConversion<short>();
        builder.Property(a => a.State).HasConversion<short>();
        builder.Property(a => a.Title).HasMaxLength(StoreLengths.Name);
        builder.Property(a => a.Detail).HasMaxLength(StoreLengths.Text);
        builder.Property(a => a.AcknowledgedBy).HasMaxLength(StoreLengths.Name);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
        // One unresolved alert per problem: the store, not only the job, refuses a duplicate.
        builder.HasIndex(a => new { a.TenantId, a.DedupKey }).IsUnique().HasFilter("state <> 2");
        builder.HasIndex(a => new { a.TenantId, a.State, a.OpenedAt });
    }
}

internal sealed class SurveyRuleConfiguration : IEntityTypeConfiguration<SurveyRule>
{
    public void Configure(EntityTypeBuilder<SurveyRule> builder)
    {
        builder.ToTable("survey_rules", t => t.HasCheckConstraint("ck_survey_rules_percentage", "percentage >= 0 AND percentage <= 100"));
        builder.HasKey(r => r.Id);
        builder.Property(r => r.SurveyKey).HasMaxLength(StoreLengths.Key);
        builder.Property(r => r.Event).HasConversion<short>();
        builder.Property(r => r.DisplayOption).HasConversion<short>();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.TenantId, r.SurveyKey, r.Event }).IsUnique();
    }
}

internal sealed class SurveyTriggerConfiguration : IEntityTypeConfiguration<SurveyTrigger>
{
    public void Configure(EntityTypeBuilder<SurveyTrigger> builder)
    {
        builder.ToTable("survey_triggers");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.UserId).HasMaxLength(StoreLengths.TelemetryText);
        builder.Property(t => t.EventKey).HasMaxLength(StoreLengths.Long);
        builder.Property(t => t.Reason).HasMaxLength(StoreLengths.Name);
        builder.Property(t => t.State).HasConversion<short>();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SurveyRule>().WithMany().HasForeignKey(t => t.RuleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => new { t.TenantId, t.EventKey }).IsUnique();
        builder.HasIndex(t => new { t.TenantId, t.AccountId, t.UserId });
    }
}
