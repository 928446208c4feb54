using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHealth.Data.Configuration;

/// <summary>The ASP.NET Core Data Protection key ring (<see cref="IDataProtectionKeyContext"/>): one row per key.</summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("data_protection_keys");
        builder.HasKey(k => k.Id);
        // No length limits: Data Protection owns these values (a key's XML descriptor, larger once an encryptor is
        // configured), and a too-short column would fail key creation at run time rather than here.
    }
}
