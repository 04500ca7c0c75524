using System.Collections.Immutable;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Credits;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Server.Demo;

/// <summary>A demo customer: who, where, the hours its service desk counts in, its tier, contract, monitors and rules.</summary>
/// <param name="Id">The customer id.</param>
/// <param name="Name">The display name.</param>
/// <param name="TimeZone">The IANA zone (calendar and month close).</param>
/// <param name="Hours">The weekly business hours.</param>
/// <param name="Holidays">The public holidays of a year, closed all day.</param>
/// <param name="HalfDays">Shortened days of a year (<c>start</c>–<c>end</c> local), e.g. Christmas Eve; skipped on holidays and weekends.</param>
/// <param name="Tier">The SLA tier.</param>
/// <param name="Overrides">Bespoke targets per priority on top of the tier.</param>
/// <param name="Contract">The contract.</param>
/// <param name="Monitors">The monitors (components), each with its history.</param>
/// <param name="Rules">The escalation rules.</param>
internal sealed record DemoCustomer(
    string Id,
    string Name,
    string TimeZone,
    WeeklySchedule Hours,
    Func<int, IEnumerable<(LocalDate Date, string Name)>> Holidays,
    Func<int, IEnumerable<(LocalDate Date, string Start, string End)>> HalfDays,
    SlaPolicy Tier,
    ImmutableDictionary<TicketPriority, PriorityTargets> Overrides,
    DemoContract Contract,
    ImmutableArray<DemoMonitor> Monitors,
    ImmutableArray<EscalationRule> Rules);

/// <summary>The contract of a demo customer (what <c>PUT /customers/{id}/contract</c> takes).</summary>
/// <param name="SlaTargetPercent">The SLA target.</param>
/// <param name="MonthlyFee">The monthly fee.</param>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="CreditSchedule">The credit schedule; null for the default one.</param>
/// <param name="MaintenanceNoticeHours">The notice maintenance needs to be excluded; null for the default 48 hours.</param>
internal sealed record DemoContract(decimal SlaTargetPercent, decimal MonthlyFee, string Currency, CreditSchedule? CreditSchedule, int? MaintenanceNoticeHours);

/// <summary>A demo monitor: what the probes check, how often, from where, and what went wrong in the last months.</summary>
/// <param name="Id">The monitor id.</param>
/// <param name="Name">The component it watches.</param>
/// <param name="Critical">Whether its outage is an outage of the customer's service.</param>
/// <param name="Every">The probe interval (each region).</param>
/// <param name="Regions">The probe regions (majority vote); empty for a single probe.</param>
/// <param name="Outages">The outages of its history.</param>
/// <param name="Maintenance">Its maintenance windows.</param>
internal sealed record DemoMonitor(
    string Id,
    string Name,
    bool Critical,
    Duration Every,
    ImmutableArray<string> Regions,
    ImmutableArray<DemoOutage> Outages,
    ImmutableArray<DemoMaintenance> Maintenance);

/// <summary>
/// An outage in a monitor's history, in the customer's local time: either on a day of a past month
/// (<see cref="MonthsAgo"/> ≥ 1) or some time before now (<see cref="Ago"/>). Every probe check inside it fails.
/// </summary>
/// <param name="MonthsAgo">How many months before the current one (local); 0 for an outage placed by <see cref="Ago"/>.</param>
/// <param name="Day">The day of that month (1–28).</param>
/// <param name="At">The local time it began.</param>
/// <param name="Ago">For a recent outage: how long before now it began.</param>
/// <param name="Length">How long it lasted; null for one still going on.</param>
/// <param name="Region">Only this probe region failed (a regional blip the majority outvotes); null for all.</param>
/// <param name="Postmortem">The postmortem's title, linked to the incident; null for none.</param>
/// <param name="Cause">The root cause its incident is classified with once over; null: not reviewed (an ongoing one).</param>
/// <param name="Resolution">How it was resolved, recorded with the cause.</param>
internal sealed record DemoOutage(int MonthsAgo, int Day, LocalTime At, Duration? Ago, Duration? Length, string? Region, string? Postmortem,
    IncidentRootCause? Cause = null, string? Resolution = null)
{
    /// <summary>This outage with its incident's review.</summary>
    public DemoOutage Reviewed(IncidentRootCause cause, string resolution) => this with { Cause = cause, Resolution = resolution };

    /// <summary>An outage on <paramref name="day"/> of the month <paramref name="monthsAgo"/> months back, at <paramref name="at"/> (HH:mm) local.</summary>
    public static DemoOutage InMonth(int monthsAgo, int day, string at, int minutes, string? region = null, string? postmortem = null)
        => new(monthsAgo, day, LocalTime.FromMinutesSinceMidnight(ParseMinutes(at)), null, Duration.FromMinutes(minutes), region, postmortem);

    /// <summary>An outage that began <paramref name="ago"/> before now and lasted <paramref name="minutes"/> (null: still down).</summary>
    public static DemoOutage Recent(Duration ago, int? minutes)
        => new(0, 0, LocalTime.Midnight, ago, minutes is { } m ? Duration.FromMinutes(m) : null, null, null);

    private static int ParseMinutes(string hhmm) => (int.Parse(hhmm[..2], System.Globalization.CultureInfo.InvariantCulture) * 60)
        + int.Parse(hhmm[3..], System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A maintenance window on a Saturday evening, local time: the last Saturday of the previous month (done), or the first
/// Saturday at least <see cref="DemoMaintenance.UpcomingLead"/> ahead (announced with enough notice to be excluded).
/// </summary>
/// <param name="Upcoming">True for the coming window, false for last month's.</param>
/// <param name="Start">The local start time on the Saturday.</param>
/// <param name="Length">How long it lasts.</param>
/// <param name="Description">What is done.</param>
internal sealed record DemoMaintenance(bool Upcoming, LocalTime Start, Duration Length, string Description)
{
    /// <summary>The least lead time of the coming window: more than any demo contract's maintenance notice.</summary>
    public static readonly Duration UpcomingLead = Duration.FromDays(4);
}

/// <summary>What happens to a demo ticket after it is opened, in order; each is what the ticket API's endpoint does.</summary>
internal enum DemoStep
{
    /// <summary>Status open (acknowledged).</summary>
    Acknowledge,

    /// <summary>Status in progress.</summary>
    Start,

    /// <summary>A public agent reply (meets the first response).</summary>
    AgentReply,

    /// <summary>A customer message (starts a next-reply cycle; ends a wait on the customer).</summary>
    CustomerReply,

    /// <summary>Status waiting on customer (pauses the clocks).</summary>
    WaitOnCustomer,

    /// <summary>Status on hold (pauses the clocks).</summary>
    Hold,

    /// <summary>Raises the priority by one (P3 → P2), re-targeted from the customer's policy.</summary>
    Escalate,

    /// <summary>Resolves.</summary>
    Resolve,

    /// <summary>Reopens a resolved ticket.</summary>
    Reopen,

    /// <summary>Closes for good.</summary>
    Close,
}

/// <summary>
/// A demo target for one clock, in place of the policy's (tickets cannot be back-dated: their clocks start when the
/// seeder opens them). <see cref="Breached"/> tickets get a one-second target right after they are opened and play
/// their steps once it ran out; the others get <see cref="Target"/> (24×7) after their steps, counted from then.
/// </summary>
/// <param name="Metric">The clock.</param>
/// <param name="Target">The demo target.</param>
/// <param name="Breached">True for a ticket that is past its target already when the demo starts.</param>
internal sealed record DemoPace(SlaMetric Metric, Duration Target, bool Breached)
{
    /// <summary>A clock already breached at start.</summary>
    public static DemoPace BreachedAtStart(SlaMetric metric) => new(metric, Duration.FromSeconds(1), Breached: true);

    /// <summary>A clock warning at 75 % and breaching at 100 % of <paramref name="target"/> after the demo starts.</summary>
    public static DemoPace Live(SlaMetric metric, Duration target) => new(metric, target, Breached: false);
}

/// <summary>A demo ticket: opened through the customer's policy, then taken through <see cref="Steps"/>.</summary>
/// <param name="Id">The ticket id (a PSA-style number).</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="Priority">The priority it is opened with.</param>
/// <param name="Subject">The subject.</param>
/// <param name="Requester">Who asked.</param>
/// <param name="Team">The team it is assigned to, if any.</param>
/// <param name="Assignee">The technician, if any.</param>
/// <param name="Steps">What happens after it is opened.</param>
/// <param name="Pace">A demo target, if any.</param>
internal sealed record DemoTicket(
    string Id,
    string CustomerId,
    TicketPriority Priority,
    string Subject,
    string Requester,
    string? Team,
    string? Assignee,
    ImmutableArray<DemoStep> Steps,
    DemoPace? Pace = null);

/// <summary>A demo user and the password printed for it.</summary>
/// <param name="UserName">The sign-in name.</param>
/// <param name="Password">The demo password (printed at start).</param>
/// <param name="Role">The role.</param>
/// <param name="CustomerId">The customer of a customer user.</param>
/// <param name="Team">A technician's team.</param>
internal sealed record DemoUser(string UserName, string Password, UserRole Role, string? CustomerId, string? Team);
