namespace IntegrationHealth.StatusPage.Notices;

/// <summary>The notices for one account: what the product should show it as a banner (an empty list: nothing).</summary>
/// <param name="Account">The account's external id.</param>
public sealed record AccountNotices(string Account, IReadOnlyList<Notice> Notices);

/// <summary>One active incident or running or imminent maintenance touching a provider the account is connected to.</summary>
/// <param name="Kind"><c>incident</c> or <c>maintenance</c>.</param>
/// <param name="Id">The incident's id as on the public page (Statuspage's string id).</param>
/// <param name="Title">The incident's name.</param>
/// <param name="Message">A short message for a banner: the latest update, at most 280 characters.</param>
/// <param name="Status">Statuspage's incident or maintenance status (<c>investigating</c> … <c>in_progress</c> …).</param>
/// <param name="Impact"><c>none</c>, <c>minor</c>, <c>major</c>, <c>critical</c> or <c>maintenance</c>.</param>
/// <param name="StartedAt">When the incident started, or when the maintenance is scheduled to start.</param>
/// <param name="ScheduledUntil">When a maintenance is scheduled to end; null for incidents.</param>
/// <param name="Providers">The keys of the account's providers it affects.</param>
/// <param name="Components">The affected components (of the page) with their current status.</param>
/// <param name="Link">The incident's public page.</param>
public sealed record Notice(
    string Kind, string Id, string Title, string Message, string Status, string Impact, DateTime StartedAt, DateTime? ScheduledUntil,
    IReadOnlyList<string> Providers, IReadOnlyList<NoticeComponent> Components, string Link);

/// <summary>An affected component.</summary>
public sealed record NoticeComponent(string Id, string Name, string Status);
