using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Slis;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Slis;
using SlaGrains.Grains.Shell;
using SlaGrains.Grains.Webhooks;

namespace SlaGrains.Grains.Slis;

/// <summary>
/// A request-based SLI: a thin shell around <see cref="SliRules"/>. Each command: rules from state → decide at now →
/// store the rules with the alert firings and their <c>budget.burn</c> webhooks in one write → hand the webhooks over,
/// write the <c>budget_alerts</c> rows, publish <see cref="BudgetAlertChanged"/> → reply.
/// </summary>
/// <remarks>
/// <para>Alerts are delivered exactly as monitors' budget alerts are (inbox, live feed, <c>budget.burn</c> webhook), with
/// <see cref="BudgetAlertView.MonitorId"/> = <c>sli:{id}</c> (the colon keeps it apart from every monitor id) and
/// the SLI's name as the component.</para>
/// <para>While an alert fires or recent counts could start one, a reminder re-evaluates the burn rates every
/// 5 minutes (the windows move on a bucket boundary even when no counts arrive).</para>
/// </remarks>
public sealed class SliGrain(
    [PersistentState("sli")] IPersistentState<SliState> state,
    [FromKeyedServices(SlaTime.Key)] TimeProvider time,
    ISlaNotifications notifications,
    IReadModelWriter readModel,
    ILogger<SliGrain> logger) : Grain, ISliGrain, IRemindable
{
    /// <summary>Most firings kept (for rows and acknowledgements).</summary>
    internal const int MaxRecentAlerts = 50;

    private const string ReminderName = "sli-burn-rates";

    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(5);

    private bool _reminderArmed;

    private string SliId => this.GetPrimaryKeyString();

    private Instant Now => Instant.FromDateTimeOffset(time.GetUtcNow());

    /// <summary>The alert id namespace of an SLI: <c>sli:{id}</c>.</summary>
    public static string AlertSource(string sliId) => $"sli:{sliId}";

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _reminderArmed = await this.GetReminder(ReminderName) is not null;
        await DeliverAsync([]);
    }

    /// <inheritdoc />
    public async Task<SliResult> Configure(SliSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (state.State.Settings is { } existing && existing.CustomerId != settings.CustomerId)
        {
            return new SliResult(View(Now), new Rejection("sli-conflict", $"SLI '{SliId}' already exists for another customer."));
        }

        return await Run(new ConfigureSli(settings.ObjectivePercent, settings.Window, settings.Zone), settings);
    }

    /// <inheritdoc />
    public Task<SliResult> RecordCounts(Instant from, Instant to, long good, long total)
        => Run(new RecordCounts(new PostedCounts(from, to, good, total)), null);

    /// <inheritdoc />
    public Task<SliView?> Get() => Task.FromResult(View(Now));

    /// <summary>
    /// Acknowledges the firing of <paramref name="name"/> that started at <paramref name="startedAt"/>; again keeps the first.
    /// Null when the SLI keeps no such firing.
    /// </summary>
    public async Task<BudgetAlertView?> AcknowledgeBudgetAlert(string name, Instant startedAt, string by)
    {
        var index = state.State.RecentAlerts.FindIndex(a => a.Name == name && a.StartedAt == startedAt);
        if (index < 0)
        {
            return null;
        }

        if (state.State.RecentAlerts[index] is { AcknowledgedAt: not null } acknowledged)
        {
            return acknowledged;
        }

        var now = Now;
        var alert = state.State.RecentAlerts[index] with { AcknowledgedAt = now, AcknowledgedBy = by };
        await GrainShell.CommitAsync(this, state, s => s.RecentAlerts[index] = alert);
        await AfterWriteAsync([new BudgetAlertChanged(now, alert)]);
        return alert;
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            await Run(new EvaluateBurnRates(), null);
        }
    }

    private async Task<SliResult> Run(SliCommand command, SliSettings? configure)
    {
        var now = Now;
        var decision = SliRules.Decide(state.State.ToRules(), command, now);
        if (!decision.IsAccepted)
        {
            return new SliResult(View(now), decision.Rejection);
        }

        if (decision.Events.Count == 0 && configure is null)
        {
            await ArmAsync(decision.State!, now);
            return new SliResult(View(now), null, Replayed: command is RecordCounts);
        }

        var settings = configure ?? state.State.Settings!;
        var published = new List<SlaNotification>();
        await GrainShell.CommitAsync(this, state, s =>
        {
            s.Settings = settings;
            s.Store(decision.State!);
            published = Effects(s, decision.Events, settings);
        });

        if (command is RecordCounts { Counts: var counts })
        {
            SlaMetrics.SliCounts(SliId, counts.Good, counts.Total);
        }

        await AfterWriteAsync(published);
        await ArmAsync(decision.State!, now);
        return new SliResult(View(now), null);
    }

    /// <summary>The firings the events start and stop, written with their webhooks (before the write).</summary>
    private List<SlaNotification> Effects(SliState s, IReadOnlyList<SliEvent> events, SliSettings settings)
    {
        var published = new List<SlaNotification>();
        foreach (var e in events)
        {
            var alert = e switch
            {
                SliAlertStarted started => View(started.Status, started.At, null),
                SliAlertStopped stopped => View(stopped.Status, stopped.StartedAt, stopped.At),
                _ => null,
            };
            if (alert is null)
            {
                continue;
            }

            var index = s.RecentAlerts.FindIndex(a => a.AlertId == alert.AlertId);
            if (index >= 0)
            {
                alert = alert with { AcknowledgedAt = s.RecentAlerts[index].AcknowledgedAt, AcknowledgedBy = s.RecentAlerts[index].AcknowledgedBy };
                s.RecentAlerts[index] = alert;
            }
            else
            {
                s.RecentAlerts.Add(alert);
            }

            s.WebhooksPending.Add(WebhookPayloads.BudgetBurn(alert));
            published.Add(new BudgetAlertChanged(e.At, alert));
        }

        // Keep the latest firings; a firing still on is always kept.
        while (s.RecentAlerts.Count > MaxRecentAlerts && s.RecentAlerts.FindIndex(a => !a.IsFiring) is var oldest and >= 0)
        {
            s.RecentAlerts.RemoveAt(oldest);
        }

        return published;

        BudgetAlertView View(BurnRateAlertStatus status, Instant startedAt, Instant? stoppedAt)
        {
            var a = status.Alert;
            var source = AlertSource(SliId);
            return new BudgetAlertView(
                BudgetAlertView.IdOf(source, a.Name, startedAt), source, settings.CustomerId, settings.Name, a.Name, a.Severity, a.Factor,
                a.LongWindow, a.ShortWindow, status.LongWindowBurnRate, status.ShortWindowBurnRate, startedAt, stoppedAt);
        }
    }

    /// <summary>After the write: the rows of the alerts that changed, the webhooks, the live notifications.</summary>
    private async Task AfterWriteAsync(IReadOnlyList<SlaNotification> published)
    {
        var alerts = published.OfType<BudgetAlertChanged>().Select(b => b.Alert).ToList();
        if (alerts.Count > 0)
        {
            try
            {
                var version = StateVersion.Of(state, nameof(SliGrain));
                await readModel.WriteAsync(new ReadModelBatch([], []) { BudgetAlerts = [.. alerts.Select(a => new BudgetAlertRow(a, version))] });
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The firing is durable in the SLI's state; the inbox row follows at the next change of the alert.
                logger.LogWarning(error, "SLI {Sli}: budget alert rows not written", SliId);
            }
        }

        await DeliverAsync(published);
    }

    /// <summary>Hands pending webhooks to the customer's webhook grain (it de-duplicates by event id), then publishes.</summary>
    private async Task DeliverAsync(IReadOnlyList<SlaNotification> published)
    {
        foreach (var e in state.State.WebhooksPending.ToList())
        {
            try
            {
                await GrainFactory.GetGrain<IWebhookGrain>(e.CustomerId).Publish(e);
                state.State.WebhooksPending.Remove(e); // the next write stores the drop; a replay is de-duplicated.
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "SLI {Sli}: webhook event {Event} not queued yet; handed again at the next change", SliId, e.EventId);
                break;
            }
        }

        foreach (var notification in published)
        {
            notifications.Publish(notification);
        }
    }

    /// <summary>Keeps the reminder while the burn rates can change by themselves; drops it otherwise.</summary>
    private async Task ArmAsync(SliRules rules, Instant now)
    {
        var next = rules.NextEvaluation(now);
        if (next is { } due && !_reminderArmed)
        {
            await this.RegisterOrUpdateReminder(ReminderName, (due - now).ToTimeSpan() + TimeSpan.FromSeconds(5), ReminderPeriod);
            _reminderArmed = true;
        }
        else if (next is null && _reminderArmed)
        {
            if (await this.GetReminder(ReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _reminderArmed = false;
        }
    }

    private SliView? View(Instant now)
        => state.State.Settings is { } settings && state.State.ToRules() is { } rules ? SliView.Of(SliId, settings, rules.FiguresAt(now), now) : null;
}

/// <summary>The SLI ids of one customer, for listing (a handful per customer; bounded by <see cref="ICustomerSlisGrain.MaxSlis"/>).</summary>
public sealed class CustomerSlisGrain([PersistentState("customer-slis")] IPersistentState<CustomerSlisState> state) : Grain, ICustomerSlisGrain
{
    /// <inheritdoc />
    public async Task<bool> Add(string sliId)
    {
        if (state.State.Ids.Contains(sliId))
        {
            return true;
        }

        if (state.State.Ids.Count >= ICustomerSlisGrain.MaxSlis)
        {
            return false;
        }

        await GrainShell.CommitAsync(this, state, s => s.Ids.Add(sliId));
        return true;
    }

    /// <inheritdoc />
    public Task<ImmutableArray<string>> List() => Task.FromResult<ImmutableArray<string>>([.. state.State.Ids]);
}
