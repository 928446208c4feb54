using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IntegrationHealth.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace IntegrationHealth.Web.DataProtection;

/// <summary>
/// ASP.NET Core Data Protection with its key ring in the store (table <c>data_protection_keys</c>), so every web and
/// job process on one database shares the keys: a dashboard cookie issued by one web process is read by another, and
/// credentials the engine encrypts in one process are decrypted in another.
/// </summary>
/// <remarks>
/// How the keys themselves are stored is a choice made here, explicitly, rather than left to Data Protection's
/// "No XML encryptor configured" start-up warning:
/// <list type="bullet">
/// <item><c>DataProtection:CertificatePath</c> (a PKCS#12 file, with <c>DataProtection:CertificatePassword</c>) set:
/// keys are encrypted with that certificate, which is kept outside the database, so a copy of the database alone does
/// not reveal what the keys protect. Every process needs the same certificate. Recommended for production.</item>
/// <item>Unset (the default, and the demo's): keys are stored unencrypted, marked as such, in the same database as the
/// data they protect. Whoever can read that database can then read the protected data: the database's own access
/// control is the protection.</item>
/// </list>
/// </remarks>
public static class StoreDataProtection
{
    public const string ApplicationName = "IntegrationHealth";
    public const string CertificatePathKey = "DataProtection:CertificatePath";
    public const string CertificatePasswordKey = "DataProtection:CertificatePassword";

    /// <summary>Registers Data Protection on the store's key ring, under one application name for every process.</summary>
    /// <exception cref="InvalidOperationException">The configured certificate cannot be loaded or has no private key.</exception>
    public static IServiceCollection AddStoreDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        // One application name for every process: the default derives from each host's content root, and payloads
        // protected under one name cannot be unprotected under another.
        var builder = services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<IntegrationHealthDbContext>();

        var path = configuration[CertificatePathKey];
        if (string.IsNullOrWhiteSpace(path))
        {
            services.Configure<KeyManagementOptions>(options => options.XmlEncryptor = new NullXmlEncryptor());
            return services;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[CertificatePasswordKey]);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{CertificatePathKey} '{path}' could not be loaded as a PKCS#12 certificate: {ex.Message}", ex);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{CertificatePathKey} '{path}' has no private key; Data Protection needs it to decrypt its keys.");
        builder.ProtectKeysWithCertificate(certificate);
        return services;
    }
}
