using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Logging;
using NodaTime.Text;
using SlaGrains.Contracts.Credits;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Grains.Customers;

/// <summary>
/// The customer's side of credits after a month closes: the credit notice, disputes of closed months (judged by the
/// domain's <see cref="Disputes"/> and <see cref="DisputeLifecycle"/>) and the ledger adjustment they decide.
/// </summary>
public sealed partial class CustomerGrain
{
    /// <inheritdoc />
    public Task<ImmutableArray<CreditNotice>> GetNotices()
        => Task.FromResult(Customer.Notices.OrderByDescending(n => n.Month).ToImmutableArray());

    /// <inheritdoc />
    public async Task<NoticeResult> MarkNoticeRead(string noticeId, string by)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var index = Customer.Notices.FindIndex(n => n.NoticeId == noticeId);
        if (index < 0)
        {
            return new NoticeResult(null, new Rejection("notice-not-found", $"Notice '{noticeId}' does not exist."));
        }

        var notice = Customer.Notices[index];
        if (notice.ReadAt is not null)
        {
            return new NoticeResult(notice, null);
        }

        notice = notice with { ReadAt = time.Now(), ReadBy = by };
        await Commit(c => c.Notices[index] = notice);
        return new NoticeResult(notice, null);
    }

    /// <inheritdoc />
    public Task<ImmutableArray<CreditDisputeView>> GetDisputes()
        => Task.FromResult(Customer.Disputes.OrderByDescending(d => d.Month).ToImmutableArray());

    /// <inheritdoc />
    public async Task<DisputeResult> FileDispute(DisputeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentException.ThrowIfNullOrWhiteSpace(claim.By);
        var credit = Customer.Credits.FirstOrDefault(c => c.Month == claim.Month);
        var existing = Customer.Disputes.FirstOrDefault(d => d.Month == claim.Month);
        if (DisputeLifecycle.CanFile(credit is not null, existing?.Status, claim.ClaimedPercent) is { } refused)
        {
            return new DisputeResult(existing, refused);
        }

        if (AgreementFor(credit!) is not { } agreement || Customer.History.FirstOrDefault(h => h.Month == claim.Month) is not { } closed)
        {
            return new DisputeResult(null, new Rejection("customer-not-configured", $"Customer '{CustomerId}' has no contract to judge the dispute by."));
        }

        // Our evidence as the monitors hold it now: the intervals and exclusions behind the month's figure.
        var (availability, maintenance) = await AvailabilityWithMaintenance(closed.Period, agreement);
        var excluded = maintenance
            .Where(m => m.Window.Window.IsExcluded(agreement.MaintenanceNotice) && m.Window.Start < closed.Period.End && m.Window.End > closed.Period.Start)
            .ToList();
        var evidence = new DisputeEvidence(
            availability.Sla.DowntimeIntervals,
            excluded.Select(m => new MaintenanceExclusion(new Interval(m.Window.Start, m.Window.End), m.Window.AnnouncedAt)),
            agreement.Clause);
        var outcome = Disputes.Resolve(new CreditDispute(CustomerId, claim.Month, claim.ClaimedPercent, credit!.AvailabilityPercent, evidence));
        var analysis = await AnalyseClaim(claim.DownIntervals.IsDefault ? [] : claim.DownIntervals, closed.Period, evidence.Exclusions);
        var dispute = outcome.Dispute;
        var now = time.Now();
        var clause = evidence.Clause;
        var view = new CreditDisputeView(
            CreditDisputeView.IdFor(claim.Month), CustomerId, claim.Month, dispute.ClaimedPercent, dispute.MeasuredPercent, dispute.SignedDiscrepancyPoints,
            outcome.Resolution, outcome.SettledAvailabilityPercent, outcome.Reason,
            string.IsNullOrWhiteSpace(claim.Evidence) ? null : claim.Evidence, claim.DownIntervals.IsDefault ? [] : claim.DownIntervals,
            [.. evidence.OurDowntime], [.. excluded.Select(m => new DisputeExclusion(m.MonitorId, m.Window.Start, m.Window.End, m.Window.AnnouncedAt, m.Window.Description))],
            new DisputeClause(clause.TargetPercent, clause.ScheduleText, clause.CapPercent, clause.MaintenanceNotice, clause.ToString()),
            [.. outcome.ToCompare], DisputeStatus.Filed, null, null, claim.By, now, null, null,
            [new DisputeAuditEntry(now, claim.By, $"Filed: claimed {Percent(dispute.ClaimedPercent)} %, ours {Percent(dispute.MeasuredPercent)} %. {outcome.Reason}")],
            analysis);
        await Commit(c => c.Disputes.Add(view));
        notifications.Publish(new CreditDisputeChanged(now, view));
        return new DisputeResult(view, null);
    }

    /// <inheritdoc />
    public async Task<DisputeResult> ResolveDispute(string disputeId, DisputeRuling ruling)
    {
        ArgumentNullException.ThrowIfNull(ruling);
        ArgumentException.ThrowIfNullOrWhiteSpace(ruling.By);
        var index = Customer.Disputes.FindIndex(d => d.DisputeId == disputeId);
        if (index < 0)
        {
            return new DisputeResult(null, new Rejection("dispute-not-found", $"Dispute '{disputeId}' does not exist."));
        }

        var filed = Customer.Disputes[index];
        var entryIndex = Customer.Credits.FindIndex(c => c.Month == filed.Month);
        var entry = Customer.Credits[entryIndex];
        if (AgreementFor(entry) is not { } agreement)
        {
            return new DisputeResult(filed, new Rejection("customer-not-configured", $"Customer '{CustomerId}' has no contract to recompute the credit by."));
        }

        // The decision needs only the two figures; the evidence bundle is already kept with the dispute.
        var dispute = new CreditDispute(CustomerId, filed.Month, filed.ClaimedPercent, filed.MeasuredPercent, new DisputeEvidence([], [], agreement.Clause));
        var decided = DisputeLifecycle.Resolve(filed.Status, dispute, new DisputeDecision(ruling.Verdict, ruling.DecidedPercent, ruling.Note, ruling.By), agreement.CreditTerms);
        if (!decided.Accepted)
        {
            return new DisputeResult(filed, decided.Rejection);
        }

        var now = time.Now();
        var credit = KeepingTicketShare(decided.Credit!, entry, agreement);
        var note = string.IsNullOrWhiteSpace(ruling.Note) ? null : ruling.Note.Trim();
        var adjustment = new CreditAdjustment(
            filed.DisputeId, credit.Inputs.AvailabilityPercent, credit.CreditPercent, credit.Amount, credit.Amount - entry.Amount,
            note is null ? credit.Reason : $"{credit.Reason} {note}", now, ruling.By);
        var resolved = filed with
        {
            Status = decided.Status,
            DecidedPercent = decided.DecidedPercent,
            Note = note,
            ResolvedBy = ruling.By,
            ResolvedAt = now,
            Audit = filed.Audit.Add(new DisputeAuditEntry(now, ruling.By,
                $"{decided.Status}: availability {Percent(credit.Inputs.AvailabilityPercent)} % → credit {credit.CreditPercent.ToString("0.##", CultureInfo.InvariantCulture)} % = "
                + $"{Money(credit.Amount)} {credit.Currency} (was {Money(entry.Amount)}, change {adjustment.Delta.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture)}).{(note is null ? "" : " Note: " + note)}")),
        };
        await Commit(c =>
        {
            c.Credits[entryIndex] = entry with { Adjustment = adjustment };
            c.Disputes[index] = resolved;
        });
        notifications.Publish(new CreditDisputeChanged(now, resolved));
        await ProjectLedger();
        return new DisputeResult(resolved, null);
    }

    /// <inheritdoc />
    public async Task<CreditApplyResult> ApplyCredit(YearMonth month, string invoiceReference, LocalDate invoiceDate, string by)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var index = Customer.Credits.FindIndex(c => c.Month == month);
        if (index < 0)
        {
            return new CreditApplyResult(null, new Rejection("credit-not-found", $"Customer '{CustomerId}' has no credit for {YearMonthPattern.Iso.Format(month)}: the month is not closed."));
        }

        var entry = Customer.Credits[index];
        var (decision, rejection) = InvoiceApplication.Decide(entry.Applied?.InvoiceReference, invoiceReference);
        if (decision != LedgerDecision.Apply)
        {
            return new CreditApplyResult(entry, rejection);
        }

        var applied = new CreditApplication(invoiceReference.Trim(), invoiceDate, time.Now(), by);
        var updated = entry with { Status = CreditStatus.AppliedToInvoice, Applied = applied };
        var noticeIndex = Customer.Notices.FindIndex(n => n.CreditKey == entry.Key);
        await Commit(c =>
        {
            c.Credits[index] = updated;
            if (noticeIndex >= 0)
            {
                c.Notices[noticeIndex] = c.Notices[noticeIndex] with { Applied = applied };
            }

            c.AppliedWebhooksPending.Add(entry.Key);
        });
        await ProjectLedger();
        await FollowUp();
        return new CreditApplyResult(updated, null);
    }

    // Issue 20 — dispute analysis
    /// <summary>The most check results read per monitor for one analysis: 200,000 (a month of 1-minute checks from four regions).</summary>
    private const int MaxAnalysedResults = 200_000;

    /// <summary>How far before a claimed interval results are read, so each region's last result before it vouches into it: a day.</summary>
    private static readonly Duration ResultLookback = Duration.FromDays(1);

    /// <summary>
    /// The claimed intervals (clipped to the month; at most <see cref="DisputeComparison.MaxClaimedIntervals"/>) compared with
    /// the critical monitors' counted downtime and unknown time and their per-region results from <c>check_results</c>,
    /// computed once at filing and stored with the dispute, so the evidence stays as it was. Null when nothing is claimed.
    /// Results past the read model's retention are gone: segments then name no regions, their markings still stand.
    /// </summary>
    private async Task<DisputeAnalysisView?> AnalyseClaim(ImmutableArray<Interval> claimed, Interval month, IReadOnlyList<MaintenanceExclusion> excluded)
    {
        var inMonth = claimed
            .Where(i => i.HasStart && i.HasEnd && i.Start < month.End && i.End > month.Start)
            .Select(i => new Interval(Instant.Max(i.Start, month.Start), Instant.Min(i.End, month.End)))
            .Take(DisputeComparison.MaxClaimedIntervals)
            .ToList();
        if (inMonth.Count == 0)
        {
            return null;
        }

        // The union of the claims (each widened by the lookback) is read once per monitor, however the claims overlap.
        var spans = new List<Interval>();
        foreach (var span in inMonth.Select(i => new Interval(i.Start - ResultLookback, i.End)).OrderBy(i => i.Start))
        {
            if (spans.Count > 0 && span.Start <= spans[^1].End)
            {
                spans[^1] = new Interval(spans[^1].Start, Instant.Max(spans[^1].End, span.End));
            }
            else
            {
                spans.Add(span);
            }
        }

        var monitors = new List<MonitorEvidence>();
        foreach (var component in Customer.Components.Where(c => c.IsCritical))
        {
            var grain = GrainFactory.GetGrain<IMonitorGrain>(component.MonitorId);
            var downtime = await grain.GetDowntime(month);
            var view = await grain.Get();
            var results = new List<Domain.Availability.CheckResult>();
            foreach (var span in spans)
            {
                await ReadResults(component.MonitorId, span, results);
            }

            monitors.Add(new MonitorEvidence(component.MonitorId, downtime.DownIntervals, Unknown(downtime, view, month), results));
        }

        return DisputeAnalysisView.From(DisputeComparison.Compare(inMonth, monitors, excluded));
    }

    /// <summary>Adds one monitor's results in <paramref name="span"/>, read newest first a page at a time, up to <see cref="MaxAnalysedResults"/>.</summary>
    private async Task ReadResults(string monitorId, Interval span, List<Domain.Availability.CheckResult> into)
    {
        const int Page = 10_000;
        var seen = new HashSet<(string, Instant)>();
        var to = span.End;
        while (into.Count < MaxAnalysedResults)
        {
            var rows = await monitorRows.CheckResultsAsync(monitorId, span.Start, to, Page);
            foreach (var row in rows.Where(r => seen.Add((r.Region, r.At))))
            {
                into.Add(new Domain.Availability.CheckResult(row.At, row.IsDown ? Domain.Availability.CheckOutcome.Down : Domain.Availability.CheckOutcome.Up, row.Region.Length == 0 ? null : row.Region));
            }

            if (rows.Count < Page)
            {
                return;
            }

            // The oldest instant may have more rows than the page held: read it again, the seen ones are skipped.
            var oldest = rows[^1].At;
            if (oldest + Duration.Epsilon >= to)
            {
                return;
            }

            to = oldest + Duration.Epsilon;
        }
    }

    /// <summary>The notice of a month that missed its commitment: the figures and the month's incidents with their links.</summary>
    private async Task<CreditNotice> CreditNoticeFor(MonthlyCredit credit, Interval period, Duration downtime)
    {
        var incidents = (await ComponentIncidents.ListAsync(GrainFactory, Customer.Components.Where(c => c.IsCritical)))
            .Where(i => i.Overlaps(period))
            .OrderBy(i => i.Start)
            .Select(i => new NoticeIncident(i.IncidentId, i.MonitorId, i.Start, i.End, $"/status/{CustomerId}", i.Postmortem))
            .ToImmutableArray();
        var result = credit.Result;
        return new CreditNotice(
            CreditNotice.IdFor(credit.Month), CustomerId, credit.Month, credit.IdempotencyKey,
            CreditNoticeText.Summary(credit.Month, downtime, incidents.Length, result),
            result.Inputs.AvailabilityPercent, result.Inputs.Terms.TargetPercent, downtime, result.CreditPercent, result.Amount, result.Currency,
            result.Inputs.Terms.MonthlyFee, incidents, credit.ComputedAt, null, null);
    }

    /// <summary>
    /// The one place a stored credit notice is sent on: the live feed (the customer's open status page, the SignalR
    /// hub) now, and the customer's webhooks through the follow-up, which retries until the webhook grain has it.
    /// </summary>
    private void SendCreditNotice(CreditNotice notice) => notifications.Publish(new CreditNoticeIssued(notice.CreatedAt, notice));

    /// <summary>
    /// Keeps the cross-customer credit projection in step. The ledger here is the truth and is already stored: a
    /// projection that could not be told is logged, and catches up at this customer's next close or resolution.
    /// </summary>
    private async Task ProjectLedger()
    {
        try
        {
            await GrainFactory.GetGrain<ICreditTrendsGrain>(ICreditTrendsGrain.Key).Update(CustomerId, [.. Customer.Credits]);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Customer {Customer}: credit trends not updated", CustomerId);
        }
    }

    private ServiceAgreement? AgreementFor(CreditEntry credit)
        => Customer.AgreementsAtClose.GetValueOrDefault(credit.Key) ?? Customer.Agreement;

    private static string Percent(decimal value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// A month's credit recomputed from a decided availability (a dispute's ruling, a reclassification): the month's
    /// ticket-SLA share stays in its one credit, because only availability was in question.
    /// </summary>
    private static CreditResult KeepingTicketShare(CreditResult availability, CreditEntry entry, ServiceAgreement agreement)
        => entry.TicketCreditPercent > 0m ? TicketCredit.WithTicketPercent(availability, entry.TicketCreditPercent, agreement.CreditTerms) : availability;
}
