using IntegrationHealth.Data.Configuration;
using IntegrationHealth.Data.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;

namespace IntegrationHealth.Data;

/// <summary>The one DbContext of IntegrationHealth, on SQLite (default) or PostgreSQL.</summary>
/// <remarks>
/// <para><b>Providers.</b> The same model runs on both engines; only the telemetry table's storage types differ.
/// On SQLite <see cref="TelemetryEvent.Id"/> is a 16-byte BLOB (RFC 9562 byte order, which sorts like PostgreSQL's uuid) and <see cref="TelemetryEvent.OccurredAt"/> an INTEGER
/// of UTC ticks (value converters), so rows stay small and range comparisons are integer comparisons. The consequence:
/// on SQLite, LINQ over <c>OccurredAt</c> supports comparisons and ordering but not date members
/// (<c>.Date</c>, <c>.Hour</c>); bucket on the client or compare against bucket bounds. On PostgreSQL they are
/// <c>uuid</c> and <c>timestamptz</c>. Enums are stored as small integers everywhere. Every table and column name is
/// snake_case.</para>
/// <para><b>Telemetry keys, and why not time partitions.</b> The telemetry primary key is <c>(tenant_id, id)</c> on both
/// providers: event ids are chosen by each tenant's senders, so they are unique per tenant, not globally (with a global
/// key, tenant B's event was dropped as a "duplicate" of tenant A's, and B learnt that A had used the id). The write
/// contract is "exactly once per (tenant, id), across retries and concurrent writers" (see
/// <see cref="Telemetry.ITelemetryWriter"/>). A time-partitioned PostgreSQL table must carry the partition key in every
/// unique index, i.e. a key of <c>(tenant_id, occurred_at, id)</c>; it would dedup a retry only when the client resends
/// the very same timestamp, and would silently store a second copy of an id sent with a corrected timestamp. A
/// <c>(tenant_id, id)</c> key is the only design that makes the contract a database guarantee (two writers racing on one
/// id: the second waits on the first's uncommitted index entry, then skips it). The measured numbers in DESIGN.md show
/// the cost is acceptable at our batch sizes: COPY with a uuid key alone runs at ~210k rows/s and the set-based
/// <c>INSERT … SELECT … ON CONFLICT DO NOTHING</c> at ~46k new rows/s, so the key is not the bottleneck until its
/// index outgrows memory (roughly 40 bytes per event with the tenant id: ~27 M events per GB of cache). Within one
/// tenant the key orders by id, so time-ordered ids still append. Secondary indexes are kept to the
/// two the reads need, <c>(tenant_id, account_id, occurred_at)</c> and <c>(tenant_id, provider_id, occurred_at)</c>
/// (the EF foreign-key index convention is switched off for the whole model; indexes are declared explicitly). The
/// telemetry table has no foreign keys: ingestion resolves every id from the tenant's own rows first, and on
/// PostgreSQL three foreign-key triggers nearly doubled the set-based insert (200k rows: 3.9 s vs 2.1 s). CHECK
/// constraints (HTTP status range, non-negative latency and records, text lengths) still make a malformed row fail
/// its batch. Batches are written sorted by (tenant, id) so each batch walks the key index in order. When volume
/// outgrows memory, the step is a time-partitioned table plus a small per-day dedup key table, not a different ORM.</para>
/// <para><b>What only some events carry.</b> The telemetry row does not grow for it: a request's endpoint route
/// template is interned in <c>endpoint_templates</c> (one row per tenant, provider and template; the event holds a
/// nullable int), and a failure's message, field and record id are a <c>telemetry_event_details</c> row keyed like the
/// event, <c>(tenant_id, event_id)</c>, which the bulk writers insert in the batch's transaction only for the events
/// they accept. Providers are the platform catalogue (<c>tenant_id</c> null) plus each tenant's own, keys unique
/// per tenant and among platform rows.</para>
/// <para><b>SQLite write cost.</b> What a commit costs is the pages it dirties (one WAL frame each). Ids are stored in
/// RFC 9562 byte order (<see cref="Sqlite.SqliteGuidBytesConverter"/>), so time-ordered UUIDv7 ids append at the right
/// edge of the key index; random UUIDv4 ids dirty about one key-index page per event. Measured in 1,000-event commits
/// (tests/IntegrationHealth.Benchmarks/README.md): a median of ~148k events/s with v7 ids against ~82k with v4. The
/// SQLite writer also group-commits batches that queue up concurrently (one transaction, a savepoint per batch), leaves
/// WAL checkpoints to a background thread (<see cref="Sqlite.SqliteWalCheckpointer"/>), uses 4 KB pages for new files (<see cref="Sqlite.SqliteDatabase.PageSize"/>: at
/// volume the cost is the bytes each randomly-keyed commit writes) and binds rows through SQLite's C API rather than <c>SqliteCommand</c>.</para>
/// <para><b>Data Protection keys.</b> The context is an <c>IDataProtectionKeyContext</c>: with
/// <c>services.AddDataProtection().PersistKeysToDbContext&lt;IntegrationHealthDbContext&gt;()</c> the key ring lives in
/// <c>data_protection_keys</c>, so web and job processes on one database (several machines on PostgreSQL) protect and
/// unprotect with the same keys. Two things stay with the host: the processes must also share an application name
/// (<c>SetApplicationName</c>; the default derives from each host's content root, and payloads protected under another
/// name do not unprotect), and without an XML encryptor (e.g. <c>ProtectKeysWithCertificate</c>) the keys are stored
/// in clear, so anyone who can read the table can unprotect the payloads.</para>
/// <para><b>Adding a migration.</b> There is one migrations assembly per provider
/// (<c>migrations/IntegrationHealth.Migrations.Sqlite</c>, <c>migrations/IntegrationHealth.Migrations.Postgres</c>).
/// Each is its own startup project for the <c>dotnet-ef</c> local tool (<c>.config/dotnet-tools.json</c>, kept at the
/// EF Core version) and holds an <c>IDesignTimeDbContextFactory</c> for its provider, so no database is contacted.
/// Change the model, then, from the repository root:
/// <code>
/// dotnet tool restore
/// dotnet restore IntegrationHealth.sln
/// dotnet ef migrations add AddSomething --project migrations/IntegrationHealth.Migrations.Sqlite
/// dotnet ef migrations add AddSomething --project migrations/IntegrationHealth.Migrations.Postgres
/// </code>
/// The two restores are needed once per clone: dotnet-ef reads the project's metadata before it builds, and fails on a
/// project that was never restored (NETSDK1004). Run from the root because the startup project defaults to the project
/// in the current folder and falls back to <c>--project</c> only where there is none. Migrations run in the order of
/// their timestamped ids; a hand-written data migration (SQLite's <c>BigEndianEventIds</c>) has no designer file and
/// leaves the snapshot as it is. <c>dotnet ef migrations has-pending-model-changes --project …</c> checks a project
/// (tests/run.sh runs it for both), and the tests <c>HasPendingModelChanges</c> fail while a model change has no
/// migration.</para>
/// </remarks>
public sealed class IntegrationHealthDbContext(DbContextOptions<IntegrationHealthDbContext> options)
    : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<TenantEnvironment> Environments => Set<TenantEnvironment>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<Provider> Providers => Set<Provider>();

    public DbSet<Connection> Connections => Set<Connection>();

    public DbSet<SupportTicket> SupportTickets => Set<SupportTicket>();

    public DbSet<SurveyResponse> SurveyResponses => Set<SurveyResponse>();

    public DbSet<AccountGroundTruth> GroundTruths => Set<AccountGroundTruth>();

    public DbSet<TelemetryEvent> TelemetryEvents => Set<TelemetryEvent>();

    /// <summary>Endpoint route templates of telemetry events, interned per tenant and provider.</summary>
    public DbSet<EndpointTemplate> EndpointTemplates => Set<EndpointTemplate>();

    /// <summary>The detail rows of the events that carry one (see <see cref="TelemetryEvent.Detail"/>).</summary>
    public DbSet<TelemetryEventDetail> TelemetryEventDetails => Set<TelemetryEventDetail>();

    /// <summary>Analytics' hourly and daily rollups per account, provider, connection and resource.</summary>
    public DbSet<ConnectionRollup> ConnectionRollups => Set<ConnectionRollup>();

    /// <summary>Analytics' per-minute rollups per provider and resource.</summary>
    public DbSet<ProviderRollup> ProviderRollups => Set<ProviderRollup>();

    /// <summary>Distinct active users per account and day (DAU/MAU).</summary>
    public DbSet<ActiveUserDay> ActiveUserDays => Set<ActiveUserDay>();

    /// <summary>Read positions of incremental jobs over telemetry.</summary>
    public DbSet<RollupCursor> RollupCursors => Set<RollupCursor>();

    /// <summary>Connection issues (one per problem per connection).</summary>
    public DbSet<ConnectionIssue> ConnectionIssues => Set<ConnectionIssue>();

    /// <summary>Daily churn-risk score history.</summary>
    public DbSet<AccountScore> AccountScores => Set<AccountScore>();

    /// <summary>Tenants' webhook endpoints, and the outbox of messages for them (see IWebhookOutbox).</summary>
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();

    public DbSet<WebhookMessage> WebhookMessages => Set<WebhookMessage>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    /// <summary>Analytics' alerts (anomalies, burn rates, rollback triggers) with their lifecycle.</summary>
    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<SurveyRule> SurveyRules => Set<SurveyRule>();

    public DbSet<SurveyTrigger> SurveyTriggers => Set<SurveyTrigger>();

    public DbSet<StatusPage> StatusPages => Set<StatusPage>();

    public DbSet<StatusComponentGroup> StatusComponentGroups => Set<StatusComponentGroup>();

    public DbSet<StatusComponent> StatusComponents => Set<StatusComponent>();

    public DbSet<StatusComponentChange> StatusComponentChanges => Set<StatusComponentChange>();

    public DbSet<StatusIncident> StatusIncidents => Set<StatusIncident>();

    public DbSet<StatusIncidentComponent> StatusIncidentComponents => Set<StatusIncidentComponent>();

    public DbSet<StatusIncidentUpdate> StatusIncidentUpdates => Set<StatusIncidentUpdate>();

    public DbSet<StatusSubscriber> StatusSubscribers => Set<StatusSubscriber>();

    public DbSet<StatusNotification> StatusNotifications => Set<StatusNotification>();

    /// <summary>The ASP.NET Core Data Protection key ring shared by every process on this store (table
    /// <c>data_protection_keys</c>); read and written by Data Protection through <c>PersistKeysToDbContext</c>, not by
    /// application code.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Provider definitions tenants uploaded (the engine's; platform definitions ship as files).</summary>
    public DbSet<EngineDefinition> EngineDefinitions => Set<EngineDefinition>();

    /// <summary>The engine's current environment and account overrides of provider definitions.</summary>
    public DbSet<EngineOverride> EngineOverrides => Set<EngineOverride>();

    /// <summary>Every version of every override (history and roll-back).</summary>
    public DbSet<EngineOverrideVersion> EngineOverrideVersions => Set<EngineOverrideVersion>();

    /// <summary>Per tenant, the change counter of its definitions and overrides (cache invalidation across processes).</summary>
    public DbSet<EngineConfigVersion> EngineConfigVersions => Set<EngineConfigVersion>();

    /// <summary>Per connection and resource, the sync's checkpoint, schedule and lease.</summary>
    public DbSet<SyncState> SyncStates => Set<SyncState>();

    public DbSet<SyncRun> SyncRuns => Set<SyncRun>();

    /// <summary>The record cache syncs fill with unified records.</summary>
    public DbSet<CachedRecord> CachedRecords => Set<CachedRecord>();
    /// <summary>The engine's credential vault: each connection's secrets, encrypted with Data Protection.</summary>
    public DbSet<ConnectionCredential> ConnectionCredentials => Set<ConnectionCredential>();

    /// <summary>Tenants' own OAuth apps per provider (client secret encrypted).</summary>
    public DbSet<OAuthApp> OAuthApps => Set<OAuthApp>();

    /// <summary>Pending OAuth authorizations' single-use nonces.</summary>
    public DbSet<ConnectState> ConnectStates => Set<ConnectState>();

    /// <summary>The audit trail of credential exports.</summary>
    public DbSet<CredentialExport> CredentialExports => Set<CredentialExport>();

    /// <summary>First results of writes sent with an <c>Idempotency-Key</c> (the engine's unified API and proxy).</summary>
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    /// <summary>The engine this context runs on.</summary>
    public StoreProvider StoreProvider => StoreProviders.FromEfProviderName(Database.ProviderName);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Indexes are declared explicitly: the convention would add one per foreign key, and on the telemetry table
        // each extra index costs ingest throughput (see remarks).
        configurationBuilder.Conventions.Remove<ForeignKeyIndexConvention>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var provider = StoreProvider;
        modelBuilder.ApplyConfiguration(new TenantConfiguration());
        modelBuilder.ApplyConfiguration(new TenantEnvironmentConfiguration());
        modelBuilder.ApplyConfiguration(new ApiKeyConfiguration());
        modelBuilder.ApplyConfiguration(new AccountConfiguration());
        modelBuilder.ApplyConfiguration(new ProviderConfiguration());
        modelBuilder.ApplyConfiguration(new ConnectionConfiguration());
        modelBuilder.ApplyConfiguration(new SupportTicketConfiguration());
        modelBuilder.ApplyConfiguration(new SurveyResponseConfiguration());
        modelBuilder.ApplyConfiguration(new AccountGroundTruthConfiguration());
        modelBuilder.ApplyConfiguration(new TelemetryEventConfiguration(provider));
        modelBuilder.ApplyConfiguration(new EndpointTemplateConfiguration());
        modelBuilder.ApplyConfiguration(new TelemetryEventDetailConfiguration(provider));
        modelBuilder.ApplyConfiguration(new DataProtectionKeyConfiguration());
        modelBuilder.ApplyConfiguration(new EngineDefinitionConfiguration());
        modelBuilder.ApplyConfiguration(new EngineOverrideConfiguration());
        modelBuilder.ApplyConfiguration(new EngineOverrideVersionConfiguration());
        modelBuilder.ApplyConfiguration(new EngineConfigVersionConfiguration());
        modelBuilder.ApplyConfiguration(new SyncStateConfiguration());
        modelBuilder.ApplyConfiguration(new SyncRunConfiguration());
        modelBuilder.ApplyConfiguration(new CachedRecordConfiguration());
        modelBuilder.ApplyConfiguration(new ConnectionRollupConfiguration(provider));
        modelBuilder.ApplyConfiguration(new ProviderRollupConfiguration(provider));
        modelBuilder.ApplyConfiguration(new ActiveUserDayConfiguration(provider));
        modelBuilder.ApplyConfiguration(new RollupCursorConfiguration(provider));
        modelBuilder.ApplyConfiguration(new ConnectionIssueConfiguration(provider));
        modelBuilder.ApplyConfiguration(new AccountScoreConfiguration(provider));
        modelBuilder.ApplyConfiguration(new WebhookEndpointConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookMessageConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookDeliveryConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookAttemptConfiguration());
        modelBuilder.ApplyConfiguration(new AlertConfiguration());
        modelBuilder.ApplyConfiguration(new SurveyRuleConfiguration());
        modelBuilder.ApplyConfiguration(new SurveyTriggerConfiguration());
        modelBuilder.ApplyConfiguration(new StatusPageConfiguration());
        modelBuilder.ApplyConfiguration(new StatusComponentGroupConfiguration());
        modelBuilder.ApplyConfiguration(new StatusComponentConfiguration());
        modelBuilder.ApplyConfiguration(new StatusComponentChangeConfiguration());
        modelBuilder.ApplyConfiguration(new StatusIncidentConfiguration());
        modelBuilder.ApplyConfiguration(new StatusIncidentComponentConfiguration());
        modelBuilder.ApplyConfiguration(new StatusIncidentUpdateConfiguration());
        modelBuilder.ApplyConfiguration(new StatusSubscriberConfiguration());
        modelBuilder.ApplyConfiguration(new StatusNotificationConfiguration());
        modelBuilder.ApplyConfiguration(new ConnectionCredentialConfiguration());
        modelBuilder.ApplyConfiguration(new OAuthAppConfiguration());
        modelBuilder.ApplyConfiguration(new ConnectStateConfiguration());
        modelBuilder.ApplyConfiguration(new CredentialExportConfiguration());
        modelBuilder.ApplyConfiguration(new IdempotencyRecordConfiguration());
        SnakeCaseNaming.Apply(modelBuilder);
    }
}
