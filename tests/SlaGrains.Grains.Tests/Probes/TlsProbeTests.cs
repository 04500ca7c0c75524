using System.Security.Cryptography.X509Certificates;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Contracts.Network;
using SlaGrains.Contracts.ReadModels;
using SlaGrains.Contracts.Webhooks;
using SlaGrains.Domain.Notifications;
using SlaGrains.Grains.Channels;
using SlaGrains.Grains.Monitors;
using SlaGrains.Grains.Outbound;
using SlaGrains.Grains.Probes;
using SlaGrains.Grains.Webhooks;
using SlaGrains.Testing;

namespace SlaGrains.Grains.Tests.Probes;

/// <summary>
/// A test CA, the certificates it signs and a real Kestrel HTTPS server on 127.0.0.1 serving each on its own port;
/// a one-silo SQLite cluster that trusts the CA (<c>Probes:TrustedRootsPath</c>, as an operator with a private CA would
/// configure it), so validation stays on and the test certificates are judged like any other.
/// </summary>
public sealed class TlsWorld : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slagrains-tls-").FullName;
    private string _rootPem = null!;

    public TestCertificateAuthority Authority { get; } = new();

    public Dictionary<string, X509Certificate2> Certificates { get; } = [];

    public TlsTargets Targets { get; private set; } = null!;

    public SqliteCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var now = TimeProvider.System.GetUtcNow();
        Certificates["valid"] = Authority.Issue("localhost", now.AddDays(-1), now.AddDays(90));
        Certificates["expiring"] = Authority.Issue("localhost", now.AddDays(-60), now.AddDays(3));
        Certificates["expired"] = Authority.Issue("localhost", now.AddDays(-30), now.AddDays(-1));
        Certificates["wrong-host"] = Authority.Issue("elsewhere.invalid", now.AddDays(-1), now.AddDays(90));
        Targets = await TlsTargets.StartAsync(Certificates);
        _rootPem = Authority.WriteRootPem();
        Cluster = await SqliteCluster.StartAsync(Path.Combine(_directory, "sla.db"), silos: 1, settings: new Dictionary<string, string> { [TlsProbeTrust.ConfigurationKey] = _rootPem });
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Targets.DisposeAsync();
        Authority.Dispose();
        File.Delete(_rootPem);
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A prober as a silo builds it, trusting <paramref name="roots"/> besides the system.</summary>
    public static TlsProber Prober(X509Certificate2Collection roots)
        => new(new OutboundHttp(OutboundTargets.Parse(LoopbackTargets.Settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))), new SystemHostResolver()), new TlsProbeTrust(roots));

    public static Instant Expiry(X509Certificate2 certificate) => Instant.FromDateTimeOffset(new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
}

/// <summary>The TLS prober against real handshakes: what is up, what is down and why, and the expiry it reports.</summary>
public sealed class TlsProberTests(TlsWorld world) : IClassFixture<TlsWorld>
{
    private readonly TlsProber _prober = TlsWorld.Prober([world.Authority.Root]);

    [Fact]
    public async Task A_valid_certificate_is_up_with_its_expiry_and_the_handshake_time()
    {
        var report = await ProbeAsync("valid");

        Assert.True(report.Up, report.Detail);
        Assert.Equal(TlsWorld.Expiry(world.Certificates["valid"]), report.CertificateExpiresAt);
        Assert.NotNull(report.ResponseTime);
        Assert.Contains("certificate valid until", report.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("expired", "certificate expired")]
    [InlineData("wrong-host", "certificate not valid for host")]
    public async Task A_certificate_that_is_expired_or_for_another_host_is_down_saying_so_with_its_expiry(string certificate, string detail)
    {
        var report = await ProbeAsync(certificate);

        Assert.Equal((false, detail), (report.Up, report.Detail));
        Assert.Equal(TlsWorld.Expiry(world.Certificates[certificate]), report.CertificateExpiresAt);
    }

    [Fact]
    public async Task A_certificate_from_a_ca_nobody_trusts_is_down_as_not_trusted()
    {
        var report = await TlsWorld.Prober([]).ProbeAsync(Settings("valid"), "default", TimeProvider.System);

        Assert.Equal((false, "certificate not trusted"), (report.Up, report.Detail));
    }

    [Fact]
    public async Task A_port_without_tls_is_a_failed_handshake_and_a_closed_port_no_connection()
    {
        await using var plain = await ProbeTarget.StartAsync();
        var noTls = await _prober.ProbeAsync(new TlsProbeSettings("localhost", plain.Url.Port, 14, Duration.FromSeconds(60), Duration.FromSeconds(5)), "default", TimeProvider.System);
        var closed = await _prober.ProbeAsync(new TlsProbeSettings("127.0.0.1", FreePort.Next(), 14, Duration.FromSeconds(60), Duration.FromSeconds(5)), "default", TimeProvider.System);

        Assert.Equal((false, "TLS handshake failed"), (noTls.Up, noTls.Detail));
        Assert.Equal((false, "no connection: connectionFailed"), (closed.Up, closed.Detail));
    }

    private Task<ProbeReport> ProbeAsync(string certificate) => _prober.ProbeAsync(Settings(certificate), "default", TimeProvider.System);

    private TlsProbeSettings Settings(string certificate) => new("localhost", world.Targets.Ports[certificate], 14, Duration.FromSeconds(60), Duration.FromSeconds(5));
}

/// <summary>
/// tls monitors on a real cluster: the expiry shown on the monitor, and a certificate expiring within the warning days
/// announced once — inbox row, live notification, <c>certificate.expiring</c> webhook — not again on the next probe.
/// </summary>
public sealed class TlsMonitorTests(TlsWorld world) : IClassFixture<TlsWorld>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SqliteCluster _cluster = world.Cluster;

    [Fact]
    public async Task A_certificate_expiring_within_the_warning_days_is_up_and_warns_once_by_inbox_feed_and_webhook()
    {
        var monitorId = $"tls-{Guid.NewGuid():N}";
        var customer = $"customer-{monitorId}";
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var hooks = _cluster.Grains.GetGrain<IWebhookGrain>(customer);
        await hooks.Subscribe($"http://127.0.0.1:{FreePort.Next()}/hook", [WebhookEventTypes.CertificateExpiring], null);
        var monitor = await ConfigureAsync(monitorId, "expiring");
        var probe = _cluster.Grains.GetGrain<IProbeGrain>(ProbeKeys.Of(monitorId, "default"));

        var warned = await recorder.WaitFor<BudgetAlertChanged>(a => a.Alert.MonitorId == monitorId, Bound);
        var first = (await probe.ProbeNow())!;
        var second = (await probe.ProbeNow())!;
        var view = (await monitor.Get())!;

        var expires = TlsWorld.Expiry(world.Certificates["expiring"]);
        Assert.True(first.Up && second.Up, first.Detail);
        Assert.False(view.IsDown);
        Assert.Equal(expires, view.CertificateExpiresAt);
        Assert.Equal((BudgetAlertView.CertificateExpiring, true, expires), (warned.Alert.Name, warned.Alert.IsFiring, warned.Alert.CertificateExpiresAt));
        Assert.Single(recorder.All.OfType<BudgetAlertChanged>(), a => a.Alert.MonitorId == monitorId);
        var row = Assert.Single(await _cluster.Service<IMonitorReadModel>().BudgetAlertsAsync([customer], firingOnly: false, 100));
        Assert.Equal(warned.Alert.AlertId, row.Alert.AlertId);
        var deliveries = (await hooks.GetPending()).Concat(await hooks.GetDeadLetters()).Where(d => d.EventType == WebhookEventTypes.CertificateExpiring);
        Assert.Equal([$"{WebhookEventTypes.CertificateExpiring}/{monitorId}.certificate.{expires.ToUnixTimeTicks()}"], deliveries.Select(d => d.EventId).Distinct());

        // Acknowledged from the inbox like a burn-rate alert: once, in the row, still firing.
        var acknowledged = await monitor.AcknowledgeBudgetAlert(BudgetAlertView.CertificateExpiring, warned.Alert.StartedAt, "erin");
        var again = await monitor.AcknowledgeBudgetAlert(BudgetAlertView.CertificateExpiring, warned.Alert.StartedAt, "lena");
        var acknowledgedRow = Assert.Single(await _cluster.Service<IMonitorReadModel>().BudgetAlertsAsync([customer], firingOnly: true, 100));
        Assert.Equal(("erin", true), (acknowledged.Alert?.AcknowledgedBy, acknowledged.Alert?.IsFiring ?? false));
        Assert.Equal(acknowledged.Alert, again.Alert);
        Assert.Equal("erin", acknowledgedRow.Alert.AcknowledgedBy);
    }

    [Fact]
    public async Task An_expired_certificate_takes_the_monitor_down_and_shows_its_expiry_without_a_warning()
    {
        var monitorId = $"tls-{Guid.NewGuid():N}";
        await using var recorder = new NotificationRecorder(_cluster.Notifications);
        var monitor = await ConfigureAsync(monitorId, "expired");

        var report = (await _cluster.Grains.GetGrain<IProbeGrain>(ProbeKeys.Of(monitorId, "default")).ProbeNow())!;
        var view = (await monitor.Get())!;

        Assert.Equal((false, "certificate expired"), (report.Up, report.Detail));
        Assert.True(view.IsDown);
        Assert.Equal(TlsWorld.Expiry(world.Certificates["expired"]), view.CertificateExpiresAt);
        Assert.DoesNotContain(recorder.All.OfType<BudgetAlertChanged>(), a => a.Alert.MonitorId == monitorId);
    }

    private async Task<IMonitorGrain> ConfigureAsync(string monitorId, string certificate)
    {
        var monitor = _cluster.Grains.GetGrain<IMonitorGrain>(monitorId);
        var result = await monitor.Configure(new MonitorSettings($"customer-{monitorId}", "Mail relay", IsCritical: true, 1, 99.9m)
        {
            Tls = new TlsProbeSettings("localhost", world.Targets.Ports[certificate], 14, Duration.FromSeconds(60), Duration.FromSeconds(5)),
        });
        Assert.True(result.Accepted, result.Rejection?.Message);
        return monitor;
    }
}

/// <summary>The certificate watch's rule (pure): once per certificate, a renewal stops the warning and re-arms the next.</summary>
public sealed class CertificateWatchTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 12, 6, 12, 0);
    private static readonly MonitorSettings Settings = new("acme", "Mail relay", true, 1, 99.9m);
    private static readonly Duration Warn = Duration.FromDays(14);

    [Fact]
    public void A_certificate_is_warned_about_once_a_renewal_stops_the_warning_and_the_renewed_one_warns_when_its_time_comes()
    {
        var empty = new CertificateWatch(null, null, null);
        var old = Now + Duration.FromDays(3);
        var renewed = Now + Duration.FromDays(90);

        var (warned, started, _) = empty.Observe(Report(Now, old), Warn, "m", Settings);
        var (again, repeated, _) = warned.Observe(Report(Now + Duration.FromMinutes(1), old), Warn, "m", Settings);
        var (afterRenewal, none, stopped) = again.Observe(Report(Now + Duration.FromDays(1), renewed), Warn, "m", Settings);
        var (oldSeenAgain, fromOld, _) = afterRenewal.Observe(Report(Now + Duration.FromDays(1), old), Warn, "m", Settings);
        var (_, renewedWarning, _) = afterRenewal.Observe(Report(renewed - Duration.FromDays(10), renewed), Warn, "m", Settings);

        Assert.Equal((old, old), (warned.ExpiresAt, started?.CertificateExpiresAt));
        Assert.Null(repeated);
        Assert.Null(none);
        Assert.Equal(started! with { StoppedAt = Now + Duration.FromDays(1) }, stopped);
        Assert.Equal((renewed, (BudgetAlertView?)null), (afterRenewal.ExpiresAt, afterRenewal.Warning));
        Assert.Null(fromOld);
        Assert.Equal(old, oldSeenAgain.ExpiresAt);
        Assert.Equal(renewed, renewedWarning?.CertificateExpiresAt);
    }

    [Fact]
    public void A_down_probe_notes_the_expiry_but_does_not_warn()
    {
        var (watch, started, _) = new CertificateWatch(null, null, null).Observe(Report(Now, Now - Duration.FromDays(1), up: false), Warn, "m", Settings);

        Assert.Equal((Now - Duration.FromDays(1), (BudgetAlertView?)null), (watch.ExpiresAt, started));
    }

    [Fact]
    public void The_webhook_event_becomes_a_warning_notice_for_staff_and_the_customer_that_is_not_urgent()
    {
        var e = WebhookPayloads.CertificateExpiring("m", "acme", "Mail relay", "mail.acme.example", 465, Now + Duration.FromDays(3), Now);

        var notice = EventNotices.Of(e);

        Assert.Equal(WebhookEventTypes.CertificateExpiring, e.Type);
        Assert.NotNull(notice);
        Assert.Equal((NoticeKind.Warning, false), (notice.Value.Line.Kind, notice.Value.Urgent));
        Assert.Contains("expires in 3 days", notice.Value.Line.Summary, StringComparison.Ordinal);
        Assert.True(notice.Value.Pick(new Contracts.Accounts.UserAccount("c", "hash", Contracts.Accounts.UserRole.Customer, "acme", null)));
    }

    private static ProbeReport Report(Instant at, Instant expires, bool up = true) => new("default", at, up, null, Duration.FromMilliseconds(5), "TLS", expires);
}
