using System.Collections.Immutable;
using System.Diagnostics;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;
using SlaGrains.Server.Hosting;
using SlaGrains.Server.Security;

namespace SlaGrains.Server.Demo;

/// <summary>
/// Fills a new database with a realistic MSP (<see cref="DemoData"/>): three customers in Berlin, New York and Sydney
/// with contracts, business calendars with their public holidays, Gold/Silver/Bronze tiers (one bespoke override) and
/// escalation rules; monitors with three months of probe results, incidents, postmortems, a past and a coming
/// maintenance window, and the past three months closed with their credits; 50 tickets in every state, a few of them
/// warning and breaching within the first minutes; and a user for each role.
/// </summary>
/// <remarks>
/// <para>Everything goes through the same grain calls the REST API makes, in the same way (see
/// <c>CustomersApi</c>, <c>MonitorsApi</c>, <c>TicketsApi</c>, <c>EscalationsApi</c>, <c>AccountsApi</c>), so the demo
/// data cannot be told from data entered through the API.</para>
/// <para><b>Time.</b> Nothing can be back-dated: probe results carry their own (past) instants, as a back-filling probe
/// agent's would, but a ticket's clocks start when it is opened, a maintenance window is announced now, a month is
/// closed now. So the tickets that should be past their target when the demo starts get, right after they are opened,
/// a one-second 24×7 target for one clock and play their steps once it ran out; the tickets that should warn and
/// breach in the first minutes get a target of seconds or minutes. Both are <see cref="ITicketGrain.ChangeTargets"/>
/// with <see cref="DemoTargetReason"/>, so each ticket's audit trail says so; every other ticket keeps its policy's
/// targets, and a later change of the customer's policy re-targets all of them alike.</para>
/// <para><b>Re-runs.</b> Customers are registered in the directory last: the directory is what start-up looks at to
/// decide whether to seed, so a seeding interrupted half-way is simply done again at the next start (every step
/// tolerates what the interrupted run left: tickets and users that exist are skipped, closed months are returned as
/// closed, incidents are matched to the outages they stand for, maintenance windows announced are not announced again).</para>
/// </remarks>
internal sealed class DemoSeeder(IGrainFactory grains, SignInService signIn, SlaClock clock, ILogger<DemoSeeder> logger)
{
    /// <summary>The reason recorded in the audit trail of a ticket given a demo target.</summary>
    internal const string DemoTargetReason = "demo data: target shortened so the demo shows this clock past or near its deadline (tickets cannot be back-dated)";

    /// <summary>How many past months are closed (and covered by probe results).</summary>
    internal const int ClosedMonths = 3;

    private static readonly ImmutableArray<TicketPriority> Priorities = [.. Enum.GetValues<TicketPriority>()];

    /// <summary>Creates the demo data; returns the demo users with their passwords and roles.</summary>
    public async Task<IReadOnlyList<(string User, string Password, string Role)>> SeedAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var startedAt = clock.Now;

        await Task.WhenAll(DemoData.Customers.Select(ConfigureCustomer));

        // Tickets that are to be past their target at start are opened first: their second runs out meanwhile.
        var late = await Task.WhenAll(DemoData.Tickets.Where(t => t.Pace is { Breached: true }).Select(OpenBreaching));

        // Password hashing is CPU work: it runs beside the monitors, which mostly wait for the grains.
        var users = Task.Run(AddUsers, cancellationToken);
        var checks = await Task.WhenAll(DemoData.Customers.Select(c => SeedMonitors(c, cancellationToken)));
        await Task.WhenAll(DemoData.Customers.Select(CloseMonths));

        cancellationToken.ThrowIfCancellationRequested();
        await Task.WhenAll(DemoData.Tickets.Where(t => t.Pace is null).Select(t => Play(t, OpenTicket(t))));
        foreach (var ticket in late.OfType<LateTicket>())
        {
            await UntilPast(ticket.BreachAt, cancellationToken);
        }

        await Task.WhenAll(late.OfType<LateTicket>().Select(t => Play(t.Ticket, Task.FromResult<Opened?>(t.Opened))));

        // The live tickets last: their demo targets count from the end of seeding, i.e. from the demo's start.
        await Task.WhenAll(DemoData.Tickets.Where(t => t.Pace is { Breached: false }).Select(t => Play(t, OpenTicket(t))));

        var directory = grains.GetGrain<ICustomerDirectoryGrain>(ICustomerDirectoryGrain.Key);
        foreach (var customer in DemoData.Customers)
        {
            await directory.Register(new CustomerEntry(customer.Id, customer.Name, startedAt, customer.TimeZone.Split('/')[0] switch { "Europe" => "EMEA", "America" => "Americas", _ => "APAC" }));
        }

        var created = await users;
        logger.LogInformation(
            "Demo MSP created in {Elapsed} ms: {Customers} customers, {Monitors} monitors with {Checks} probe results, {Tickets} tickets, {Users} users.",
            watch.ElapsedMilliseconds,
            DemoData.Customers.Length,
            DemoData.Customers.Sum(c => c.Monitors.Length),
            checks.Sum(),
            DemoData.Tickets.Length,
            created.Count);
        return created;
    }

    /// <summary>The calendar of <paramref name="customer"/>: its hours, this and next year's holidays and half days.</summary>
    internal static BusinessCalendar Calendar(DemoCustomer customer, Instant now)
    {
        var zone = BusinessCalendar.ResolveZone(customer.TimeZone);
        var year = now.InZone(zone).Year;
        var named = customer.Holidays(year).Concat(customer.Holidays(year + 1)).GroupBy(h => h.Date).ToDictionary(g => g.Key, g => g.First().Name);
        var holidays = new SortedSet<LocalDate>(named.Keys);
        var halfDays = customer.HalfDays(year).Concat(customer.HalfDays(year + 1))
            .Where(h => h.Date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) && !holidays.Contains(h.Date))
            .Select(h => new SpecialHours(h.Date, [OpenInterval.Parse(h.Start, h.End)]));
        return new BusinessCalendar(zone, customer.Hours, holidays, halfDays).WithHolidayNames(named);
    }

    /// <summary>As <c>PUT /customers/{id}/contract</c>, <c>/calendar</c>, <c>/policy</c> and <c>/escalation-rules</c>.</summary>
    private async Task ConfigureCustomer(DemoCustomer c)
    {
        var customer = grains.GetGrain<ICustomerGrain>(c.Id);
        var contract = c.Contract;
        Check(await customer.SetAgreement(new ServiceAgreement(
            c.Id,
            contract.SlaTargetPercent,
            contract.MonthlyFee,
            contract.Currency,
            contract.CreditSchedule,
            creditCapPercent: ServiceAgreement.DefaultCreditCapPercent,
            maintenanceNotice: contract.MaintenanceNoticeHours is { } hours ? Duration.FromHours(hours) : null)), $"contract of {c.Id}");
        Check(await customer.SetCalendar(Calendar(c, clock.Now)), $"calendar of {c.Id}");
        Check(await customer.SetTier(c.Tier), $"tier of {c.Id}");
        foreach (var priority in Priorities)
        {
            Check(
                c.Overrides.TryGetValue(priority, out var targets) ? await customer.SetOverride(priority, targets) : await customer.ClearOverride(priority),
                $"{priority} targets of {c.Id}");
        }

        await grains.GetGrain<IEscalationGrain>(c.Id).SetRules(c.Rules);
    }

    /// <summary>
    /// As <c>POST /monitors</c> for each monitor (configure, then add to the components), then its probe results through
    /// <c>POST /monitors/{id}/checks/batch</c>, postmortem links and maintenance windows. Returns the results ingested.
    /// </summary>
    private async Task<int> SeedMonitors(DemoCustomer c, CancellationToken cancellationToken)
    {
        var customer = grains.GetGrain<ICustomerGrain>(c.Id);
        var agreement = (await customer.Get())?.Agreement;
        var slo = agreement?.SloTargetPercent ?? 99.9m;
        foreach (var m in c.Monitors)
        {
            // The seeder writes grains directly (it fills an empty database; customers enter the directory last, so a
            // seed cut short is seeded again), so the application's "customer exists" check does not apply here.
            var monitor = grains.GetGrain<IMonitorGrain>(m.Id);
            // Unknown after two probe intervals without results, as an http monitor would be; maintenance judged with the
            // notice of the contract set just before (MaintenanceNoticeHours), as POST /monitors does.
            var settings = new MonitorSettings(c.Id, m.Name, m.Critical, 2, slo, m.Regions, null, StaleAfter: m.Every * 2).UnderContract(agreement);
            Check((await monitor.Configure(settings)).Rejection, $"monitor {m.Id}");
            var components = (await customer.Get())?.Components ?? [];
            Check(await customer.SetComponents(components.Add(new CustomerComponent(m.Id, m.Critical))), $"components of {c.Id}");
        }

        var counts = await Task.WhenAll(c.Monitors.Select(m => SeedHistory(c, m, cancellationToken)));
        return counts.Sum();
    }

    private async Task<int> SeedHistory(DemoCustomer c, DemoMonitor m, CancellationToken cancellationToken)
    {
        var monitor = grains.GetGrain<IMonitorGrain>(m.Id);
        var now = clock.Now;
        var zone = BusinessCalendar.ResolveZone(c.TimeZone);
        var thisMonth = ReportingPeriod.MonthContaining(now, zone);
        var from = ReportingPeriod.Month(thisMonth.PlusMonths(-ClosedMonths), zone).Start;
        var outages = m.Outages.Select(o => (Outage: o, Down: Place(o, thisMonth, zone, now))).Where(o => o.Down.Interval.Start >= from && o.Down.Interval.Start < now).ToList();

        var count = 0;
        foreach (var batch in CheckHistory.Batches(m, from, now, [.. outages.Select(o => o.Down)]))
        {
            cancellationToken.ThrowIfCancellationRequested();
            Check((await monitor.IngestBatch(batch)).Rejection, $"probe results of {m.Id}");
            count += batch.Length;
        }

        var incidents = await monitor.GetIncidents(1000);
        foreach (var (outage, down) in outages.Where(o => o.Outage.Postmortem is not null || o.Outage.Cause is not null))
        {
            if (incidents.FirstOrDefault(i => i.Interval.Contains(down.Interval.Start) || down.Interval.Contains(i.Start)) is not { } incident)
            {
                continue;
            }

            if (outage.Postmortem is not null)
            {
                var url = new Uri($"https://wiki.demo-msp.example/postmortems/{incident.IncidentId}-{Slug(outage.Postmortem)}");
                Check((await monitor.SetPostmortem(incident.IncidentId, url)).Rejection, $"postmortem of {incident.IncidentId}");
            }

            if (outage.Cause is not null && !incident.IsOpen)
            {
                Check((await monitor.Review(incident.IncidentId, outage.Cause, outage.Resolution)).Rejection, $"review of {incident.IncidentId}");
            }
        }

        var announcedBefore = await monitor.GetMaintenance();
        foreach (var maintenance in m.Maintenance)
        {
            // Announced now, as the API does: last month's window was therefore announced late and is not excluded
            // from availability (the probes saw no downtime in it anyway); the coming one has more than the notice.
            var start = Saturday(maintenance.Upcoming, thisMonth, zone, now).At(maintenance.Start).InZoneLeniently(zone).ToInstant();
            if (announcedBefore.Any(w => w.Start == start && w.Description == maintenance.Description))
            {
                continue;
            }

            var announced = await monitor.AnnounceMaintenance(start, start + maintenance.Length, maintenance.Description);
            Check(announced.Rejection, $"maintenance of {m.Id}");
        }

        return count;
    }

    /// <summary>The past months, closed as the month-end deadline would have closed them (one history entry and credit each).</summary>
    private async Task CloseMonths(DemoCustomer c)
    {
        var customer = grains.GetGrain<ICustomerGrain>(c.Id);
        var thisMonth = ReportingPeriod.MonthContaining(clock.Now, BusinessCalendar.ResolveZone(c.TimeZone));
        for (var back = ClosedMonths; back >= 1; back--)
        {
            var closed = await customer.CloseMonth(thisMonth.PlusMonths(-back));
            Check(closed.Rejection, $"month {thisMonth.PlusMonths(-back)} of {c.Id}");
        }
    }

    /// <summary>As <c>POST /users</c> for each demo user; a user name already taken is left as it is (and not printed).</summary>
    private async Task<IReadOnlyList<(string User, string Password, string Role)>> AddUsers()
    {
        var accounts = grains.GetGrain<IAccountsGrain>(IAccountsGrain.Key);
        var hashed = await Task.WhenAll(DemoData.Users.Select(u => Task.Run(() => (User: u, Account: signIn.NewUser(u.UserName, u.Password, u.Role, u.CustomerId, u.Team)))));
        var created = new List<(string User, string Password, string Role)>();
        foreach (var (user, account) in hashed)
        {
            if (await accounts.AddUser(account))
            {
                created.Add((user.UserName, user.Password, Caller.RoleName(user.Role)));
            }
            else
            {
                logger.LogWarning("Demo user {User} exists already: left as it is.", user.UserName);
            }
        }

        return created;
    }

    /// <summary>A ticket opened with a one-second demo target for the clock that is to be breached at start.</summary>
    private async Task<LateTicket?> OpenBreaching(DemoTicket ticket)
    {
        if (await OpenTicket(ticket) is not { } opened)
        {
            return null;
        }

        var pace = ticket.Pace!;
        var paced = await Retarget(ticket, opened, pace);
        var breachAt = paced.Clocks.First(c => c.Metric == pace.Metric).BreachAt ?? clock.Now;
        return new LateTicket(ticket, opened with { Targets = WithDemoTarget(opened.Targets, pace) }, breachAt);
    }

    /// <summary>As <c>POST /tickets</c>: the targets from the customer's policy for the priority. Null when the ticket exists.</summary>
    private async Task<Opened?> OpenTicket(DemoTicket t)
    {
        var terms = await grains.GetGrain<ICustomerGrain>(t.CustomerId).TermsFor(t.Priority);
        Check(terms.Rejection, $"terms for {t.Id}");
        var result = await grains.GetGrain<ITicketGrain>(t.Id).Create(new NewTicket(
            t.CustomerId, t.Priority, t.Subject, t.Requester, t.Team, t.Assignee, terms.Terms!.Targets, terms.Terms.Options));
        if (result.Rejection?.Code == "ticket-exists")
        {
            logger.LogWarning("Demo ticket {Ticket} exists already: left as it is.", t.Id);
            return null;
        }

        Check(result.Rejection, $"ticket {t.Id}");
        return new Opened(t.Priority, terms.Terms.Targets);
    }

    /// <summary>Takes an opened ticket through its steps (each as its endpoint does it), then gives a live ticket its demo target.</summary>
    private async Task Play(DemoTicket t, Task<Opened?> opening)
    {
        if (await opening is not { } opened)
        {
            return;
        }

        var ticket = grains.GetGrain<ITicketGrain>(t.Id);
        foreach (var step in t.Steps)
        {
            if (step == DemoStep.Escalate)
            {
                // As POST /tickets/{id}/priority: the new priority's targets from the customer's policy.
                var priority = opened.Priority - 1;
                var terms = await grains.GetGrain<ICustomerGrain>(t.CustomerId).TermsFor(priority);
                Check(terms.Rejection, $"terms for {t.Id}");
                Check((await ticket.ChangePriority(priority, terms.Terms!.Targets)).Rejection, $"{step} of {t.Id}");
                opened = new Opened(priority, terms.Terms.Targets);
                continue;
            }

            var result = await (step switch
            {
                DemoStep.Acknowledge => ticket.ChangeStatus(TicketStatus.Open),
                DemoStep.Start => ticket.ChangeStatus(TicketStatus.InProgress),
                DemoStep.AgentReply => ticket.RecordAgentReply(),
                DemoStep.CustomerReply => ticket.RecordCustomerReply(),
                DemoStep.WaitOnCustomer => ticket.ChangeStatus(TicketStatus.WaitingOnCustomer),
                DemoStep.Hold => ticket.ChangeStatus(TicketStatus.OnHold),
                DemoStep.Resolve => ticket.Resolve(),
                DemoStep.Reopen => ticket.Reopen(),
                DemoStep.Close => ticket.Close(),
                _ => throw new InvalidOperationException($"Unknown demo step {step}."),
            });
            Check(result.Rejection, $"{step} of {t.Id}");
        }

        if (t.Pace is { Breached: false } pace)
        {
            await Retarget(t, opened, pace);
        }
    }

    /// <summary>Gives one clock of the ticket its demo target (24×7), keeping the others as the policy set them.</summary>
    private async Task<TicketView> Retarget(DemoTicket t, Opened opened, DemoPace pace)
    {
        var result = await grains.GetGrain<ITicketGrain>(t.Id).ChangeTargets(WithDemoTarget(opened.Targets, pace), DemoTargetReason);
        Check(result.Rejection, $"demo target of {t.Id}");
        return result.Ticket!;
    }

    private static TicketTargets WithDemoTarget(TicketTargets targets, DemoPace pace)
    {
        var demo = new MetricTarget(pace.Target, BusinessCalendar.AlwaysOpen);
        return pace.Metric switch
        {
            SlaMetric.FirstResponse => targets with { FirstResponse = demo },
            SlaMetric.Resolution => targets with { Resolution = demo },
            SlaMetric.NextReply => targets with { NextReply = demo },
            _ => throw new ArgumentOutOfRangeException(nameof(pace), pace.Metric, "Unknown metric."),
        };
    }

    /// <summary>Waits (at most the demo target of a second or so) until <paramref name="instant"/> is past on the SLA clock.</summary>
    private async Task UntilPast(Instant instant, CancellationToken cancellationToken)
    {
        for (var wait = instant - clock.Now; wait >= Duration.Zero; wait = instant - clock.Now)
        {
            await Task.Delay(wait.ToTimeSpan() + TimeSpan.FromMilliseconds(5), cancellationToken);
        }
    }

    /// <summary>An outage of the demo data as an interval of instants.</summary>
    private static CheckHistory.Down Place(DemoOutage o, YearMonth thisMonth, DateTimeZone zone, Instant now)
    {
        var start = o.Ago is { } ago
            ? now - ago
            : thisMonth.PlusMonths(-o.MonthsAgo).OnDayOfMonth(o.Day).At(o.At).InZoneLeniently(zone).ToInstant();
        return new CheckHistory.Down(new Interval(start, o.Length is { } length ? start + length : null), o.Region);
    }

    /// <summary>The last Saturday of the previous month, or the first Saturday at least <see cref="DemoMaintenance.UpcomingLead"/> ahead.</summary>
    private static LocalDate Saturday(bool upcoming, YearMonth thisMonth, DateTimeZone zone, Instant now)
    {
        if (upcoming)
        {
            var day = (now + DemoMaintenance.UpcomingLead).InZone(zone).Date;
            return day.DayOfWeek == IsoDayOfWeek.Saturday ? day : day.Next(IsoDayOfWeek.Saturday);
        }

        var last = thisMonth.OnDayOfMonth(1).PlusDays(-1);
        return last.DayOfWeek == IsoDayOfWeek.Saturday ? last : last.Previous(IsoDayOfWeek.Saturday);
    }

    private static string Slug(string title)
    {
        var words = new string([.. title.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : ' ')]);
        return string.Join('-', words.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static void Check(CustomerResult result, string what) => Check(result.Rejection, what);

    private static void Check(Rejection? rejection, string what)
    {
        if (rejection is not null)
        {
            throw new InvalidOperationException($"Demo data: {what} was rejected: {rejection.Code}: {rejection.Message}");
        }
    }

    /// <summary>A ticket as opened: its priority and targets (what a re-target starts from).</summary>
    private sealed record Opened(TicketPriority Priority, TicketTargets Targets);

    /// <summary>A ticket opened with a one-second target, and when that target runs out.</summary>
    private sealed record LateTicket(DemoTicket Ticket, Opened Opened, Instant BreachAt);
}
