using SlaGrains.Contracts.Incidents;
using SlaGrains.Domain.Monitors;
using SlaGrains.Grains.Tests.Customers;

namespace SlaGrains.Grains.Tests.Incidents;

/// <summary>
/// An incident's timeline on a real two-silo cluster with SQLite storage: an update is in the grain's state and in its
/// <c>incident_updates</c> row when the call returns, is published once, and is still there after the grain is
/// deactivated; a manual incident's row follows its resolution.
/// </summary>
public sealed class IncidentGrainTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SqliteCluster _cluster = fixture.Cluster;

    private static Instant Now => SystemClock.Instance.GetCurrentInstant();

    [Fact]
    public async Task An_update_is_in_its_row_when_the_call_returns_is_published_and_survives_reactivation()
    {
        var customer = $"c-{Guid.NewGuid():N}"[..14];
        var incidentId = $"m-{customer}-1";
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var grain = _cluster.Grains.GetGrain<IIncidentGrain>(incidentId);

        var before = Now;
        var posted = await grain.PostUpdate(new IncidentUpdatePosting(customer, $"m-{customer}", IncidentUpdateStatus.Identified, "A full disk.", "sam"));
        var after = Now;
        var rows = await _cluster.Service<IIncidentReadModel>().UpdatesAsync([incidentId], 100);
        var published = await recorder.WaitFor<IncidentUpdated>(u => u.Update.IncidentId == incidentId, Bound);
        await grain.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var reloaded = await grain.Get();

        Assert.True(posted.Accepted, posted.Rejection?.Message);
        var update = Assert.Single(posted.Timeline!.Updates);
        Assert.InRange(update.At, before, after);
        Assert.Equal(("sam", 1, IncidentUpdateStatus.Identified), (update.By, update.Sequence, update.Status));
        Assert.Equal([update], rows);
        Assert.Equal(update, published.Update);
        Assert.Equal($"m-{customer}", published.MonitorId);
        Assert.Equal(update, Assert.Single(reloaded!.Updates));
    }

    [Fact]
    public async Task A_manual_incident_row_is_written_at_opening_and_replaced_when_a_resolved_update_ends_it()
    {
        var customer = $"c-{Guid.NewGuid():N}"[..14];
        var incidentId = $"{customer}.m1";
        var grain = _cluster.Grains.GetGrain<IIncidentGrain>(incidentId);
        var rows = _cluster.Service<IIncidentReadModel>();

        var opened = await grain.OpenManual(new ManualIncidentOpening(customer, "Login slow", ["web"], IncidentImpact.Degraded, IncidentUpdateStatus.Investigating, "Slow logins.", "morgan"));
        var whileOpen = Assert.Single(await rows.ManualIncidentsAsync([customer], Instant.MinValue, 10));
        var resolved = await grain.PostUpdate(new IncidentUpdatePosting(customer, null, IncidentUpdateStatus.Resolved, "Fast again.", "morgan"));
        var afterResolution = Assert.Single(await rows.ManualIncidentsAsync([customer], Instant.MinValue, 10));
        var again = await grain.PostUpdate(new IncidentUpdatePosting(customer, null, IncidentUpdateStatus.Monitoring, "Still fast.", "morgan"));

        Assert.True(opened.Accepted, opened.Rejection?.Message);
        Assert.Null(whileOpen.Incident.ResolvedAt);
        Assert.True(resolved.Accepted, resolved.Rejection?.Message);
        Assert.Equal(resolved.Timeline!.Updates[0].At, afterResolution.Incident.ResolvedAt);
        Assert.True(afterResolution.Version > whileOpen.Version);
        Assert.Equal("incident-resolved", again.Rejection?.Code);
        Assert.Equal(2, (await rows.UpdatesAsync([incidentId], 10)).Count);
    }
}
