using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using SlaGrains.Contracts.Incidents;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Domain.Monitors;

namespace SlaGrains.Storage.Tests.ReadModels;

/// <summary>
/// What the incident timeline tables must do on every store: updates and manual incidents read back equal; an update is
/// inserted once (a replay, or a changed replay, changes nothing); a manual incident's row is replaced only by a higher
/// version (a late write never reopens a resolved incident); the queries' filters, orders and limits. Each test writes
/// its own customers and incident ids (a fresh prefix).
/// </summary>
public abstract class IncidentReadModelConformance<TFixture>(TFixture store)
    where TFixture : ReadModelFixture
{
    private static readonly Instant Now = Instant.FromUtc(2030, 1, 7, 12, 0);

    private readonly string _prefix = "i" + Guid.NewGuid().ToString("N")[..10];

    private IIncidentReadModel Incidents => store.SiloServices.GetRequiredService<IIncidentReadModel>();

    [SkippableFact]
    public void The_silo_serves_incident_queries_from_its_read_model_object()
    {
        SkipUnlessAvailable();

        Assert.Same(store.Writer, Incidents);
    }

    [SkippableFact]
    public async Task Updates_and_manual_incidents_read_back_equal_with_every_field_including_nulls()
    {
        SkipUnlessAvailable();
        var open = Manual("open", "c", Now, resolvedAt: null, version: 3);
        var resolved = Manual("resolved", "c", Now - Duration.FromHours(2), resolvedAt: Now - Duration.FromHours(1) + Duration.FromNanoseconds(1), version: 7);
        var updates = new[]
        {
            Update("open", "c", 1, IncidentUpdateStatus.Investigating, Now, "First line\nsecond line\twith a tab — and ünïcode"),
            Update("resolved", "c", 1, IncidentUpdateStatus.Identified, Now - Duration.FromHours(2)),
            Update("resolved", "c", 2, IncidentUpdateStatus.Resolved, Now - Duration.FromHours(1) + Duration.FromNanoseconds(1)),
        };

        await store.Writer.WriteAsync(new ReadModelBatch([], []) { IncidentUpdates = updates, ManualIncidents = [open, resolved] });

        Assert.Equal(Shapes([open, resolved]), Shapes(await Incidents.ManualIncidentsAsync([Customer("c")], Instant.MinValue, 100)));
        var read = await Incidents.UpdatesAsync([Id("open"), Id("resolved")], 100);
        Assert.Equal(updates.OrderByDescending(u => u.At).ThenByDescending(u => u.Sequence), read);
    }

    [SkippableFact]
    public async Task An_update_is_inserted_once_and_a_changed_replay_changes_nothing()
    {
        SkipUnlessAvailable();
        var update = Update("once", "c", 1, IncidentUpdateStatus.Investigating, Now);

        await store.Writer.WriteAsync(new ReadModelBatch([], []) { IncidentUpdates = [update] });
        await store.Writer.WriteAsync(new ReadModelBatch([], []) { IncidentUpdates = [update, update with { Message = "rewritten" }] });

        Assert.Equal([update], await Incidents.UpdatesAsync([Id("once")], 100));
    }

    [SkippableFact]
    public async Task A_manual_incident_row_is_replaced_by_a_higher_version_only_so_a_late_write_never_reopens_it()
    {
        SkipUnlessAvailable();
        var open = Manual("late", "c", Now, resolvedAt: null, version: 4);
        var resolved = open with { Incident = open.Incident with { ResolvedAt = Now + Duration.FromMinutes(30) }, Version = 5 };

        await store.Writer.WriteAsync(new ReadModelBatch([], []) { ManualIncidents = [resolved] });
        await store.Writer.WriteAsync(new ReadModelBatch([], []) { ManualIncidents = [open] });
        await store.Writer.WriteAsync(new ReadModelBatch([], []) { ManualIncidents = [resolved with { Incident = resolved.Incident with { Title = "same version" } }] });

        Assert.Equal(Shapes([resolved]), Shapes(await Incidents.ManualIncidentsAsync([Customer("c")], Instant.MinValue, 100)));
    }

    [SkippableFact]
    public async Task Manual_incidents_are_filtered_by_customer_and_by_being_open_since_newest_first_with_a_limit()
    {
        SkipUnlessAvailable();
        var old = Manual("old", "a", Now - Duration.FromDays(10), resolvedAt: Now - Duration.FromDays(9), version: 1);
        var recent = Manual("recent", "a", Now - Duration.FromDays(2), resolvedAt: Now - Duration.FromDays(1), version: 1);
        var open = Manual("ongoing", "a", Now - Duration.FromDays(20), resolvedAt: null, version: 1);
        var other = Manual("other", "b", Now, resolvedAt: null, version: 1);
        await store.Writer.WriteAsync(new ReadModelBatch([], []) { ManualIncidents = [old, recent, open, other] });

        Assert.Equal(Shapes([recent, open]), Shapes(await Incidents.ManualIncidentsAsync([Customer("a")], Now - Duration.FromDays(5), 100)));
        Assert.Equal(Shapes([recent]), Shapes(await Incidents.ManualIncidentsAsync([Customer("a")], Now - Duration.FromDays(5), 1)));
        Assert.Equal(Shapes([other, recent, open]), Shapes(await Incidents.ManualIncidentsAsync([Customer("a"), Customer("b")], Now - Duration.FromDays(5), 100)));
        Assert.Empty(await Incidents.ManualIncidentsAsync([], Instant.MinValue, 100));
    }

    [SkippableFact]
    public async Task Updates_are_read_for_the_listed_incidents_only_newest_first_with_a_limit()
    {
        SkipUnlessAvailable();
        var a1 = Update("a", "c", 1, IncidentUpdateStatus.Investigating, Now);
        var a2 = Update("a", "c", 2, IncidentUpdateStatus.Monitoring, Now + Duration.FromMinutes(5));
        var b1 = Update("b", "c", 1, IncidentUpdateStatus.Identified, Now + Duration.FromMinutes(1));
        var x1 = Update("x", "c", 1, IncidentUpdateStatus.Identified, Now + Duration.FromMinutes(2));
        await store.Writer.WriteAsync(new ReadModelBatch([], []) { IncidentUpdates = [a1, a2, b1, x1] });

        Assert.Equal([a2, b1, a1], await Incidents.UpdatesAsync([Id("a"), Id("b")], 100));
        Assert.Equal([a2], await Incidents.UpdatesAsync([Id("a"), Id("b")], 1));
        Assert.Equal([a2, a1], await Incidents.UpdatesAsync([Id("a")], 100));
        Assert.Empty(await Incidents.UpdatesAsync([], 100));
    }

    /// <summary>Rows as comparable values: an ImmutableArray compares by reference, so the components are compared as text.</summary>
    private static List<(ManualIncidentView Incident, string Components, long Version)> Shapes(IEnumerable<ManualIncidentRow> rows)
        => [.. rows.Select(r => (r.Incident with { Components = default }, string.Join(' ', r.Incident.Components), r.Version))];

    private void SkipUnlessAvailable() => Skip.If(store.Unavailable is not null, store.Unavailable);

    private string Id(string name) => $"{_prefix}.m{name}";

    private string Customer(string name) => $"{_prefix}-customer-{name}";

    private ManualIncidentRow Manual(string name, string customer, Instant openedAt, Instant? resolvedAt, long version)
        => new(new ManualIncidentView(Id(name), Customer(customer), $"Incident {name}", ["api", "web"], IncidentImpact.MajorOutage, openedAt, "morgan", resolvedAt), version);

    private IncidentUpdateView Update(string name, string customer, int sequence, IncidentUpdateStatus status, Instant at, string message = "Looking into it.")
        => new(Id(name), Customer(customer), sequence, status, message, "sam", at);
}

public sealed class SqliteIncidentReadModelTests(SqliteReadModelFixture store)
    : IncidentReadModelConformance<SqliteReadModelFixture>(store), IClassFixture<SqliteReadModelFixture>;

public sealed class PostgresIncidentReadModelTests(PostgresReadModelFixture store)
    : IncidentReadModelConformance<PostgresReadModelFixture>(store), IClassFixture<PostgresReadModelFixture>;
