using System.Collections.Immutable;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain.Customers;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Grains.Customers;

/// <summary>
/// A customer's durable state: the domain's <see cref="CustomerAccount"/> (read with <see cref="ToAccount"/>, written
/// back with <see cref="Store"/>), the month history, ledger, notices and disputes it produced, and the shell's pending
/// deliveries. The field layout is the one earlier versions wrote, so their state still loads. The credit ledger and the monthly history are kept as our own serializable records
/// (<see cref="CreditEntry"/>, <see cref="MonthlyAvailability"/>), not as the domain's <c>CreditLedger</c>.
/// </summary>
[GenerateSerializer]
[Alias("slagrains.customer-state")]
public sealed class CustomerState
{
    /// <summary>The contract; null until set.</summary>
    [Id(0)]
    public ServiceAgreement? Agreement { get; set; }

    /// <summary>The business calendar (its zone is the customer's zone); null until set.</summary>
    [Id(1)]
    public BusinessCalendar? Calendar { get; set; }

    /// <summary>The SLA tier as agreed; null until set.</summary>
    [Id(2)]
    public SlaPolicy? Tier { get; set; }

    /// <summary>The clock options new tickets get; null means <see cref="SlaClockOptions.Default"/>.</summary>
    [Id(3)]
    public SlaClockOptions? ClockOptions { get; set; }

    /// <summary>Bespoke per-priority overrides of the tier.</summary>
    [Id(4)]
    public Dictionary<TicketPriority, PriorityTargets> Overrides { get; set; } = [];

    /// <summary>The components.</summary>
    [Id(5)]
    public List<CustomerComponent> Components { get; set; } = [];

    /// <summary>The monitors that last reported down (kept in step with <see cref="Health"/>; the only health earlier versions kept).</summary>
    [Id(6)]
    public HashSet<string> DownMonitors { get; set; } = [];

    /// <summary>The status last published.</summary>
    [Id(7)]
    public ServiceStatus Status { get; set; } = ServiceStatus.Operational;

    /// <summary>Open tickets tracked for re-targeting, with their priority.</summary>
    [Id(8)]
    public Dictionary<string, TicketPriority> OpenTickets { get; set; } = [];

    /// <summary>Closed months, oldest first (one entry per month, never replaced).</summary>
    [Id(9)]
    public List<MonthlyAvailability> History { get; set; } = [];

    /// <summary>The credit ledger, oldest first (one entry per month, keyed by its idempotency key).</summary>
    [Id(10)]
    public List<CreditEntry> Credits { get; set; } = [];

    /// <summary>The month the durable month-end deadline closes next; null until contract and calendar are set.</summary>
    [Id(11)]
    public YearMonth? NextMonthToClose { get; set; }

    /// <summary>When the durable reminder will next wake the customer; null when none is registered.</summary>
    [Id(12)]
    public Instant? ReminderDueAt { get; set; }

    /// <summary>Tickets a re-targeting could not reach yet (retried at the next change or month-end wake-up).</summary>
    [Id(13)]
    public HashSet<string> RetargetPending { get; set; } = [];

    /// <summary>Credit notices, oldest first (one per month that missed its commitment, created with its credit).</summary>
    [Id(14)]
    public List<Contracts.Credits.CreditNotice> Notices { get; set; } = [];

    /// <summary>Disputes, oldest first (at most one per month).</summary>
    [Id(15)]
    public List<Contracts.Credits.CreditDisputeView> Disputes { get; set; } = [];

    /// <summary>The contract each credit was computed under, by credit key: a dispute is judged and recomputed by it,
    /// even after the contract changed. Months closed before this was kept fall back to the current contract.</summary>
    [Id(16)]
    public Dictionary<string, ServiceAgreement> AgreementsAtClose { get; set; } = [];

    /// <summary>Periods closed but not yet archived as reports (retried at the next wake-up until archived).</summary>
    [Id(30)]
    public List<string> ReportsPending { get; set; } = [];

    /// <summary>The month last told to the month-close watch as the next to close; null: not told yet.</summary>
    [Id(31)]
    public YearMonth? WatchedMonth { get; set; }

    /// <summary>Credit notices not yet handed to the customer's webhooks (retried at every wake-up until they are).</summary>
    [Id(32)]
    public List<string> NoticeWebhooksPending { get; set; } = [];

    /// <summary>Credit keys whose <c>credit.applied</c> event is not yet handed to the customer's webhooks (retried at every wake-up).</summary>
    [Id(34)]
    public List<string> AppliedWebhooksPending { get; set; } = [];

    /// <summary>What each monitor last reported; empty in state written before health was kept (then
    /// <see cref="DownMonitors"/> says which were down, the others count as up).</summary>
    [Id(33)]
    public Dictionary<string, ComponentHealth> Health { get; set; } = [];

    /// <summary>The public status page (slug, enabled, whether it shows this month's availability); null until an admin sets one.
    /// Id 40 leaves room below for the customer's other additions.</summary>
    [Id(40)]
    public StatusPageSettings? StatusPage { get; set; }

    /// <summary>The customer's contacts and which customer mail each gets (Ids 50–59 are the contacts' own).</summary>
    [Id(50)]
    public List<CustomerContact> Contacts { get; set; } = [];

    /// <summary>Contact mail a month close owes and not yet queued (<c>credit-notice:{noticeId}</c>,
    /// <c>statement:{yyyy-MM}</c>), retried at every wake-up until queued.</summary>
    [Id(51)]
    public List<string> ContactMailPending { get; set; } = [];

    // Issue 20 — remedies over rolling windows, term and renewal (Ids 110–119)
    /// <summary>The month each remedy rule last fired, by its key (<c>3-in-6-extraCredit</c>): a firing never repeats.</summary>
    [Id(110)]
    public Dictionary<string, YearMonth> RemediesLastFired { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The last reminder sent before a notice deadline; null until one is sent.</summary>
    [Id(111)]
    public Contracts.Customers.TermReminderSent? LastTermReminder { get; set; }

    /// <summary>When the durable reminder for the next notice reminder will wake the customer; null when none is registered.</summary>
    [Id(112)]
    public Instant? TermReminderDueAt { get; set; }

    /// <summary>Notice reminders not yet handed to the managers' channels (through the webhook grain), retried until they are.</summary>
    [Id(113)]
    public List<Contracts.Webhooks.WebhookEvent> TermNoticesPending { get; set; } = [];

    // Issue 20 — exclusions
    /// <summary>Reclassifications of the customer's incidents, oldest first (never removed; the audit of each is its own record).</summary>
    [Id(100)]
    public List<IncidentClassificationView> Classifications { get; set; } = [];

    /// <summary>The domain's view of this state.</summary>
    public CustomerAccount ToAccount(string customerId)
    {
        var health = ImmutableDictionary.CreateBuilder<string, ComponentHealth>(StringComparer.Ordinal);
        foreach (var down in DownMonitors)
        {
            health[down] = ComponentHealth.Down;
        }

        foreach (var (monitor, reported) in Health)
        {
            health[monitor] = reported;
        }

        return new CustomerAccount
        {
            CustomerId = customerId,
            Agreement = Agreement,
            Calendar = Calendar,
            Tier = Tier,
            ClockOptions = ClockOptions,
            Overrides = Overrides.ToImmutableSortedDictionary(),
            Components = [.. Components.Select(c => c.ToDomain())],
            Health = health.ToImmutable(),
            OpenTickets = OpenTickets.ToImmutableDictionary(StringComparer.Ordinal),
            ClosedMonths = [.. History.Select(h => h.Month)],
            NextMonthToClose = NextMonthToClose,
            // Issue 20 — remedies: misses are months whose SLA verdict was missed (insufficient data is not a miss).
            MissedMonths = [.. History.Where(h => !h.SlaMet && !h.InsufficientData).Select(h => h.Month)],
            RemediesLastFired = RemediesLastFired.ToImmutableDictionary(StringComparer.Ordinal),
        };
    }

    /// <summary>Writes the domain state back into the stored fields (history and ledger are added by the shell from events).</summary>
    public void Store(CustomerAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        Agreement = account.Agreement;
        Calendar = account.Calendar;
        Tier = account.Tier;
        ClockOptions = account.ClockOptions;
        Overrides = new(account.Overrides);
        Components = [.. account.Components.Select(CustomerComponent.From)];
        Health = new(account.Health, StringComparer.Ordinal);
        DownMonitors = [.. account.Health.Where(h => h.Value == ComponentHealth.Down).Select(h => h.Key)];
        OpenTickets = new(account.OpenTickets, StringComparer.Ordinal);
        RetargetPending.IntersectWith(OpenTickets.Keys);
        NextMonthToClose = account.NextMonthToClose;
        RemediesLastFired = new(account.RemediesLastFired, StringComparer.Ordinal);
    }
}
