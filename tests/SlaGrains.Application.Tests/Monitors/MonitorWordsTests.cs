using SlaGrains.Application.Monitors;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Availability;

namespace SlaGrains.Application.Tests.Monitors;

/// <summary>A monitor's status in words, as the API's <c>statusText</c> and the admin and status pages show it.</summary>
public sealed class MonitorWordsTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 2, 15, 0);

    [Fact]
    public void A_new_monitor_without_results_is_waiting_not_operational()
        => Assert.Equal("Waiting for its first result", MonitorWords.Status(View(ComponentHealth.Up, lastResult: null)));

    [Fact]
    public void A_monitor_with_results_and_no_outage_is_operational()
        => Assert.Equal("Operational", MonitorWords.Status(View(ComponentHealth.Up, lastResult: Now)));

    [Fact]
    public void A_down_monitor_says_since_when_its_outage_started()
    {
        var start = Instant.FromUtc(2026, 11, 2, 14, 2);
        var incident = new IncidentView("m-1", "m", "c", start, null, start, null, null);

        Assert.Equal("Outage since 2026-11-02 14:02Z", MonitorWords.Status(View(ComponentHealth.Down, Now) with { IsDown = true, OpenIncident = incident }));
    }

    [Fact]
    public void A_silent_monitor_says_since_when_it_has_had_no_data()
    {
        var last = Instant.FromUtc(2026, 11, 2, 14, 2);

        var status = MonitorWords.Status(View(ComponentHealth.Unknown, last) with { UnknownSince = last + Duration.FromMinutes(10) });

        Assert.Equal("No data since 2026-11-02 14:02Z — status unknown", status);
    }

    [Fact]
    public void A_monitor_in_maintenance_says_so_in_words_and_the_api_health_word()
    {
        Assert.Equal("Under maintenance", MonitorWords.Status(View(ComponentHealth.Maintenance, Now)));
        Assert.Equal("maintenance", MonitorWords.Health(ComponentHealth.Maintenance));
    }

    private static MonitorView View(ComponentHealth health, Instant? lastResult)
        => new("m", new MonitorSettings("c", "API", true, 1, 99.9m), false, null, lastResult, null, [], Now, Health: health);
}
