using System.Collections.Immutable;
using System.Globalization;
using NodaTime.Text;
using SlaGrains.Contracts.Credits;
using SlaGrains.Contracts.Customers;
using SlaGrains.Domain;
using SlaGrains.Domain.Agreements;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Grains.Customers;

/// <summary>
/// Issue 20 — exclusions: reclassifying a monitor's incident to a cause the contract names (the domain's
/// <see cref="Reclassification"/>). The running month and every later figure recompute from the stored reclassifications;
/// a closed month is never rewritten: its credit gets a ledger adjustment, as a resolved dispute's does.
/// </summary>
public sealed partial class CustomerGrain
{
    /// <inheritdoc />
    public async Task<ClassificationResult> Reclassify(IncidentReclassification reclassification)
    {
        ArgumentNullException.ThrowIfNull(reclassification);
        ArgumentException.ThrowIfNullOrWhiteSpace(reclassification.By);
        if (Customer.Agreement is not { } agreement)
        {
            return new(null, null, new Rejection("customer-not-configured", $"Customer '{CustomerId}' has no contract to classify downtime by."));
        }

        var r = reclassification;
        var now = time.Now();
        var existing = Classified().ToList();
        var decision = Reclassification.Decide(
            existing, new IncidentBounds(r.IncidentId, r.MonitorId, r.IncidentStart, r.IncidentEnd), new ReclassifyIncident(r.Class, r.From, r.To, r.Reason, r.By), now);
        if (decision.Classification is not { } classification)
        {
            return decision.Field is { } field
                ? new(null, field, new Rejection("invalid-classification", decision.Message!))
                : new(null, null, new Rejection("classifications-full", decision.Message!));
        }

        // A closed month the part reaches: never rewritten. Under dispute, the dispute settles it (its evidence was ours then).
        var closed = Customer.History.Where(h => h.Period.Start < classification.To && classification.From < h.Period.End).ToList();
        if (closed.FirstOrDefault(h => Customer.Disputes.Any(d => d.Month == h.Month)) is { } disputed)
        {
            return new(null, null, new Rejection(
                "month-disputed", $"{YearMonthPattern.Iso.Format(disputed.Month)} has a dispute: its credit is settled through the dispute, not by reclassifying."));
        }

        var critical = Customer.Components.Any(c => c.MonitorId == r.MonitorId && c.IsCritical);
        var clause = ExclusionClause.For(agreement.Exclusions, r.Class);
        var adjustments = new List<(int Index, CreditEntry Entry)>();
        foreach (var month in closed)
        {
            var index = Customer.Credits.FindIndex(c => c.Month == month.Month);
            if (index < 0 || AgreementFor(Customer.Credits[index]) is not { } atClose
                || !critical || !ExclusionClause.Excludes(atClose.Exclusions, r.Class))
            {
                // Still downtime under the contract the month closed by: labelled, and the month's figures stand.
                continue;
            }

            var entry = Customer.Credits[index];
            var (measured, _) = await Measure(month.Period, atClose, [.. existing, classification]);
            var sla = measured.Availability.Sla;
            if (!sla.HasSufficientData(atClose.MinimumCoveragePercent))
            {
                continue; // Insufficient data makes no automatic credit either way: a manager decides, as at close.
            }

            var credit = KeepingTicketShare(atClose.CreditFor(sla.UptimePercent, await Latency(month.Period)), entry, atClose);
            var was = entry.Adjustment?.DecidedAvailabilityPercent ?? entry.AvailabilityPercent;
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"Reclassified {ExclusionClause.Label(r.Class)} {classification.From}–{classification.To} ({classification.Reason}): availability {was:0.0000} % → {sla.UptimePercent:0.0000} %, credit {credit.CreditPercent:0.##} % = {credit.Amount:0.00} {credit.Currency}.");
            var adjustment = new CreditAdjustment(classification.Id, sla.UptimePercent, credit.CreditPercent, credit.Amount, credit.Amount - entry.Amount, reason, now, r.By);
            adjustments.Add((index, entry with { Adjustment = adjustment }));
        }

        var view = new IncidentClassificationView(
            classification.Id, CustomerId, classification.IncidentId, classification.MonitorId, classification.Class, classification.From, classification.To,
            classification.Reason, classification.By, classification.At, critical && ExclusionClause.Excludes(agreement.Exclusions, r.Class), clause?.Clause,
            [.. adjustments.Select(a => a.Entry.Month)]);
        await Commit(c =>
        {
            c.Classifications.Add(view);
            foreach (var (index, entry) in adjustments)
            {
                c.Credits[index] = entry;
            }
        });
        if (adjustments.Count > 0)
        {
            await ProjectLedger();
        }

        return new(view, null, null);
    }

    /// <inheritdoc />
    public Task<ImmutableArray<IncidentClassificationView>> GetClassifications(string? incidentId)
        => Task.FromResult(Customer.Classifications
            .Where(c => incidentId is null || c.IncidentId == incidentId)
            .OrderByDescending(c => c.At).ThenByDescending(c => c.Id, StringComparer.Ordinal)
            .ToImmutableArray());

    /// <summary>The stored reclassifications, as the domain reads them.</summary>
    private IEnumerable<IncidentClassification> Classified() => Customer.Classifications.Select(c => c.ToDomain());

    /// <summary>The reclassified intervals <paramref name="agreement"/> excludes, as maintenance announced in time (critical components only).</summary>
    private IReadOnlyList<MaintenanceWindow> ExcludedWindows(ServiceAgreement? agreement)
    {
        var critical = Customer.Components.Where(c => c.IsCritical).Select(c => c.MonitorId).ToHashSet(StringComparer.Ordinal);
        return Reclassification.ExcludedWindows(Classified(), agreement?.Exclusions, critical.Contains);
    }

    /// <summary>
    /// The customer's availability over <paramref name="period"/> with the reclassifications (the stored ones unless
    /// <paramref name="classifications"/> are given) and the critical components' maintenance it weighed.
    /// </summary>
    private async Task<(ReclassifiedAvailability Measured, List<ExcludedMaintenance> Maintenance)> Measure(
        Interval period, ServiceAgreement agreement, IEnumerable<IncidentClassification>? classifications = null)
    {
        var (downtime, maintenance) = await Evidence(period);
        var measured = Reclassification.Compute(
            period, downtime, [.. maintenance.Select(m => m.Window.Window)], agreement.MaintenanceNotice, classifications ?? Classified(), agreement.Exclusions);
        return (measured, maintenance);
    }
}
