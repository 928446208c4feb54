namespace IntegrationHealth.Benchmarks.Jsonata;

/// <summary>One benchmark workload: an expression, which part of the generated data it reads, and how it is applied.</summary>
/// <param name="Name">Label printed in the results table.</param>
/// <param name="Expression">JSONata expression text.</param>
/// <param name="Input">Top-level key of the generated data document the expression reads.</param>
/// <param name="PerRecord">True: one iteration evaluates the expression once per element of the input array.</param>
/// <param name="Records">Records processed per iteration (throughput is records per second).</param>
internal sealed record JsonataWorkload(string Name, string Expression, string Input, bool PerRecord, int Records)
{
    /// <summary>The CRM contact mapping of workloads (a) and (b).</summary>
    public const string ContactMapping =
        "{ \"first_name\": FirstName, \"last_name\": LastName, \"email\": Email, \"phone\": Phone, " +
        "\"custom_fields\": { \"tier\": Customer_Tier__c, \"renewal\": Renewal_Date__c ? $toMillis(Renewal_Date__c) : null } }";

    public const int Contacts = 10_000;
    public const int Orders = 100_000;
    public const int Items = 10_000;

    /// <summary>The workloads of the brief, in order.</summary>
    public static IReadOnlyList<JsonataWorkload> All { get; } =
    [
        new("(a) contact mapping, once per record", ContactMapping, "contacts", PerRecord: true, Contacts),
        new("(b) records.{mapping}, one evaluation", "records." + ContactMapping, "crm", PerRecord: false, Contacts),
        new("(c) $sum(orders[status='paid'].amount)", "$sum(orders[status='paid'].amount)", "orders", PerRecord: false, Orders),
        new("(c) orders{customer: $sum(amount)}", "orders{customer: $sum(amount)}", "orders", PerRecord: false, Orders),
        new("(d) $join($map(items, λ))", "$join($map(items, function($v){ $uppercase($substring($v.name,0,3)) & '-' & $string($v.id) }), ',')", "items", PerRecord: false, Items),
    ];
}
