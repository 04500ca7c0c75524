using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Notifications;
using SlaGrains.Contracts.Tickets;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Tickets;

namespace SlaGrains.Grains.Tests.Tickets;

/// <summary>
/// Deadlines are durable: stop the silo, let some deadlines pass, start again on the same SQLite file — the passed
/// deadlines fire at start, recorded late; the future ones fire on time; nothing fires twice.
/// </summary>
public sealed class TicketRestartTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-restart-").FullName;

    [Fact]
    public async Task Deadlines_that_passed_while_the_silo_was_down_fire_at_start_with_their_lateness_and_once()
    {
        var database = Path.Combine(_directory, "sla.db");
        var ids = Enumerable.Range(0, 5).Select(i => $"restart-{i}-{Guid.NewGuid():N}").ToArray();
        var targets = new PriorityTargets(Duration.FromSeconds(2), Duration.FromSeconds(80), coverage: CoverageHours.AroundTheClock)
            .For(BusinessCalendar.AlwaysOpen);

        await using (var before = await SqliteCluster.StartAsync(database, silos: 1))
        {
            // The breach's rule calls back into the ticket, which is activating when the breach is found after the
            // restart: it must not wait for itself.
            await before.Grains.GetGrain<IEscalationGrain>("acme").SetRules([
                new EscalationRule("breach", SlaMetric.FirstResponse, 100, EscalationActionKind.EscalateToManagement, "managers")]);
            foreach (var id in ids)
            {
                var created = await before.Grains.GetGrain<ITicketGrain>(id).Create(new NewTicket("acme", TicketPriority.P2, "Printer", "bo@example.com", null, null, targets));
                Assert.True(created.Accepted);
            }
        }

        // The silo is down while the first-response deadlines (1.5 s warning, 2 s breach) pass.
        await Task.Delay(TimeSpan.FromSeconds(4));

        await using var after = await SqliteCluster.StartAsync(database, silos: 1);
        await using var recorder = new NotificationRecorder(after.Notifications);
        foreach (var id in ids)
        {
            await recorder.WaitFor<TicketAlerted>(a => a.Alert.TicketId == id && a.Alert.Metric == SlaMetric.FirstResponse && a.Alert.IsBreach, Bound);
        }

        foreach (var id in ids)
        {
            var view = (await after.Grains.GetGrain<ITicketGrain>(id).Get())!;
            var breach = Assert.Single(view.Audit, a => a.Kind == nameof(ClockBreached) && a.Metric == SlaMetric.FirstResponse);
            Assert.Single(view.Audit, a => a.Kind == nameof(ClockWarned) && a.Metric == SlaMetric.FirstResponse);
            Assert.True(breach.Lateness > Duration.FromSeconds(1), $"{id}: recorded {breach.Lateness} after it fell due, expected late");
            Assert.Equal(view.CreatedAt + Duration.FromSeconds(2), breach.At);
            Assert.Equal(ClockState.BreachedRunning, view.Clocks.Single(c => c.Metric == SlaMetric.FirstResponse).State);
            Assert.True(view.EscalatedToManagement, $"{id}: the breach's escalation did not reach the ticket");

            // The resolution warning (60 s) is still ahead: armed, not fired.
            Assert.DoesNotContain(view.Audit, a => a.Kind == nameof(ClockWarned) && a.Metric == SlaMetric.Resolution);
            Assert.Equal(view.CreatedAt + Duration.FromSeconds(60), view.Clocks.Single(c => c.Metric == SlaMetric.Resolution).NextThresholdAt);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
