using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SlaGrains.Server.Tests.Security;

namespace SlaGrains.Server.Tests.OpenSlo;

/// <summary>
/// OpenSLO v1 over real HTTP: the specification's own examples read by the importer, an import that sets a monitor's
/// availability and latency SLOs and a request SLI (seen through the existing routes), all-or-nothing 400s naming the
/// document and field, the export round trip, and Prometheus rules that <c>promtool check rules</c> accepts.
/// </summary>
public sealed class OpenSloApiTests(MovableClockServer world) : IClassFixture<MovableClockServer>
{
    private const string Promtool = "/usr/bin/promtool";

    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

    private static string Sample(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OpenSlo", "Samples", file));

    private static async Task<Dictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.JsonAsync();
        return body.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
    }

    private static string Slos(string customer, string monitor, string sli, decimal availability = 0.995m, string zone = "Europe/Berlin", string sliMethod = "Occurrences") => $$$"""
        apiVersion: openslo/v1
        kind: Service
        metadata:
          name: {{{customer}}}
        spec:
          description: The customer
        ---
        apiVersion: openslo/v1
        kind: SLI
        metadata:
          name: {{{monitor}}}-up
        spec:
          ratioMetric:
            counter: true
            good:
              metricSource:
                type: SlaGrains
                spec:
                  monitorId: {{{monitor}}}
            total:
              metricSource:
                type: SlaGrains
                spec:
                  monitorId: {{{monitor}}}
        ---
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: {{{monitor}}}-availability
        spec:
          service: {{{customer}}}
          indicatorRef: {{{monitor}}}-up
          timeWindow:
            - duration: 1M
              isRolling: false
              calendar:
                startTime: 2026-01-01 00:00:00
                timeZone: {{{zone}}}
          budgetingMethod: Timeslices
          objectives:
            - target: {{{availability}}}
              timeSliceTarget: 1
              timeSliceWindow: 1m
        ---
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: {{{monitor}}}-latency
        spec:
          service: {{{customer}}}
          indicator:
            metadata:
              name: {{{monitor}}}-response-time
            spec:
              thresholdMetric:
                metricSource:
                  type: SlaGrains
                  spec:
                    monitorId: {{{monitor}}}
          timeWindow:
            - duration: 1M
              calendar:
                startTime: 2026-01-01 00:00:00
                timeZone: Europe/Berlin
          budgetingMethod: Occurrences
          objectives:
            - op: lte
              value: 300
              targetPercent: 98.5
          alertPolicies:
            - alertPolicyRef: slagrains-page-fast
        ---
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: {{{sli}}}
          displayName: Checkout requests
        spec:
          service: {{{customer}}}
          indicator:
            metadata:
              name: checkout-errors
            spec:
              ratioMetric:
                counter: true
                bad:
                  metricSource:
                    type: Prometheus
                    spec:
                      query: http_requests_total{job="checkout",code=~"5.."}
                total:
                  metricSource:
                    type: Prometheus
                    spec:
                      query: sum(rate(http_requests_total{job="checkout"}[{{.window}}]))
          timeWindow:
            - duration: 4w
              isRolling: true
          budgetingMethod: {{{sliMethod}}}
          objectives:
            - target: 0.999
        """;

    private async Task<(string Customer, string Monitor, string Sli)> ImportedAsync(HttpClient admin)
    {
        var customer = await ServerScenario.CustomerAsync(admin);
        var monitor = $"m-{customer}";
        var sli = $"{customer}-checkout";
        await ServerScenario.MeasuredMonitorAsync(admin, monitor, customer);
        await ServerScenario.Ok(admin.PostAsync("api/v1/openslo", Yaml(Slos(customer, monitor, sli))));
        return (customer, monitor, sli);
    }

    [Fact]
    public async Task An_import_sets_a_monitors_availability_and_latency_slos_and_a_request_sli_that_the_existing_routes_show()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = $"m-{customer}";
        var sli = $"{customer}-checkout";
        await ServerScenario.MeasuredMonitorAsync(admin.Http, monitor, customer);

        var imported = await (await ServerScenario.Ok(admin.Http.PostAsync("api/v1/openslo", Yaml(Slos(customer, monitor, sli))))).JsonAsync();
        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}"))).JsonAsync();
        var requests = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/slis/{sli}"))).JsonAsync();

        var actions = imported.GetProperty("documents").EnumerateArray().ToDictionary(d => d.GetProperty("document").GetInt32(), d => (d.GetProperty("slo").GetString(), d.GetProperty("action").GetString()));
        Assert.Equal(($"monitor:{monitor}", "updated"), actions[2]);
        Assert.Equal(($"latency:{monitor}", "created"), actions[3]);
        Assert.Equal(($"sli:{sli}", "created"), actions[4]);
        Assert.Equal(99.5m, read.GetProperty("sloPercent").GetDecimal());
        Assert.Equal(300, read.GetProperty("latency").GetProperty("thresholdMs").GetInt32());
        Assert.Equal(98.5m, read.GetProperty("latency").GetProperty("objectivePercent").GetDecimal());
        Assert.Equal(customer, requests.GetProperty("customerId").GetString());
        Assert.Equal("Checkout requests", requests.GetProperty("name").GetString());
        Assert.Equal(99.9m, requests.GetProperty("objectivePercent").GetDecimal());
        Assert.Equal(28, requests.GetProperty("window").GetProperty("days").GetInt32());
    }

    [Fact]
    public async Task Exporting_then_importing_changes_nothing_and_exports_the_same_again()
    {
        using var admin = await world.AdminAsync();
        var (customer, monitor, sli) = await ImportedAsync(admin.Http);
        var before = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}"))).Content.ReadAsStringAsync();

        var exported = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/openslo?customer={customer}"))).Content.ReadAsStringAsync();
        var reimported = await (await ServerScenario.Ok(admin.Http.PostAsync("api/v1/openslo", Yaml(exported)))).JsonAsync();
        var again = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/openslo?customer={customer}"))).Content.ReadAsStringAsync();
        var after = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}"))).Content.ReadAsStringAsync();

        var slos = reimported.GetProperty("documents").EnumerateArray().Where(d => d.GetProperty("kind").GetString() == "SLO").ToList();
        Assert.Equal(4, slos.Count); // the contract, the monitor's availability and latency, the request SLI
        Assert.All(slos, d => Assert.Equal("unchanged", d.GetProperty("action").GetString()));
        Assert.Contains(slos, d => d.GetProperty("slo").GetString() == $"agreement:{customer}");
        Assert.Contains(slos, d => d.GetProperty("slo").GetString() == $"sli:{sli}");
        Assert.Equal(exported, again);
        Assert.Contains("http_requests_total{job=", exported, StringComparison.Ordinal);
        Assert.Contains("budgetingMethod: Timeslices", exported, StringComparison.Ordinal);
        Assert.Contains("kind: AlertCondition", exported, StringComparison.Ordinal);
        Assert.Equal(Without(before, "asOf"), Without(after, "asOf"));
    }

    private static string Without(string json, string property)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node.Remove(property);
        return node.ToJsonString();
    }

    [Fact]
    public async Task An_invalid_document_is_400_naming_the_document_and_field_and_nothing_changes()
    {
        using var admin = await world.AdminAsync();
        var (customer, monitor, sli) = await ImportedAsync(admin.Http);
        var changed = Slos(customer, monitor, sli, availability: 0.98m).Replace("value: 300", "value: 300.5", StringComparison.Ordinal)
            .Replace("target: 0.999", "target: 1.5", StringComparison.Ordinal);

        var errors = await ErrorsAsync(await admin.Http.PostAsync("api/v1/openslo", Yaml(changed)));
        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}"))).JsonAsync();

        Assert.Contains($"'{monitor}-latency'", Assert.Single(errors["documents[3].spec.objectives[0].value"]), StringComparison.Ordinal);
        Assert.Contains($"(document 4, '{sli}')", Assert.Single(errors["documents[4].spec.objectives[0].target"]), StringComparison.Ordinal);
        Assert.Equal(99.5m, read.GetProperty("sloPercent").GetDecimal());
        Assert.Equal(300, read.GetProperty("latency").GetProperty("thresholdMs").GetInt32());
    }

    [Fact]
    public async Task Unknown_monitors_wrong_zones_and_methods_we_cannot_compute_are_400_naming_the_field()
    {
        using var admin = await world.AdminAsync();
        var (customer, monitor, sli) = await ImportedAsync(admin.Http);
        var yaml = Slos(customer, monitor, sli, zone: "America/New_York", sliMethod: "RatioTimeslices");
        var unknown = Slos(customer, "no-such-monitor", sli);

        var errors = await ErrorsAsync(await admin.Http.PostAsync("api/v1/openslo", Yaml(yaml)));
        var missing = await ErrorsAsync(await admin.Http.PostAsync("api/v1/openslo", Yaml(unknown)));
        var malformed = await ErrorsAsync(await admin.Http.PostAsync("api/v1/openslo", Yaml("kind: [unclosed")));
        var aliases = await ErrorsAsync(await admin.Http.PostAsync("api/v1/openslo", Yaml("a: &x [1]\nb: *x\n")));

        // The specification's own inline AlertPolicy example: a CPU alert is no burn-rate alert of ours.
        var policy = await ErrorsAsync(await admin.Http.PostAsync("api/v1/openslo", Yaml("""
            apiVersion: openslo/v1
            kind: AlertPolicy
            metadata:
              name: AlertPolicy
              displayName: Alert Policy
            spec:
              description: Alert policy for cpu usage breaches, notifies on-call devops via email
              alertWhenBreaching: true
              alertWhenResolved: false
              conditions:
                - kind: AlertCondition
                  metadata:
                    name: cpu-usage-breach
                    displayName: CPU Usage breaching
                  spec:
                    description: SLO burn rate for cpu-usage-breach exceeds 2
                    severity: page
                    condition:
                      kind: burnrate
                      op: lte
                      threshold: 2
                      lookbackWindow: 1h
                      alertAfter: 5m
              notificationTargets:
                - targetRef: on-call-devops-mail-notification
            """)));

        Assert.Contains("documents[2].spec.timeWindow[0].calendar.timeZone", errors.Keys);
        Assert.Contains("documents[4].spec.budgetingMethod", errors.Keys);
        Assert.Contains("Europe/Berlin", errors["documents[2].spec.timeWindow[0].calendar.timeZone"][0], StringComparison.Ordinal);
        Assert.Contains("documents[1].spec.ratioMetric.good.metricSource.spec.monitorId", missing.Keys);
        Assert.Contains("body", malformed.Keys);
        Assert.Contains("body", aliases.Keys);
        Assert.Contains("documents[0].spec.conditions[0].spec.condition.op", policy.Keys);
        Assert.Contains("documents[0].spec.conditions[0].spec.condition.threshold", policy.Keys);
        Assert.Contains("(document 0, 'AlertPolicy')", policy["documents[0].spec.conditions[0].spec.condition.threshold"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_specifications_examples_are_read_accepted_where_they_map_and_answered_field_by_field_where_not()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);

        var latency = await ErrorsAsync(await admin.Http.PostAsync("api/v1/openslo", Yaml(Sample("budgeting-method--occurences-slo.yaml"))));
        var ratioSlices = await ErrorsAsync(await admin.Http.PostAsync("api/v1/openslo", Yaml(Sample("budgeting-method--ratio-timeslices.yaml"))));
        var slices = await ErrorsAsync(await admin.Http.PostAsync("api/v1/openslo", Yaml(Sample("budgeting-method--timeslices-slo.yaml"))));
        var week = await ErrorsAsync(await admin.Http.PostAsync("api/v1/openslo", Yaml(Sample("treat-low-traffic-as-equally-important--timeslices-slo.yaml"))));

        // The ratio example counted by occurrences, for one of our customers, is a request SLI as it stands.
        var mapped = Sample("budgeting-method--ratio-timeslices.yaml")
            .Replace("name: main-page", $"name: {customer}-main-page", StringComparison.Ordinal)
            .Replace("service: web-shop", $"service: {customer}", StringComparison.Ordinal)
            .Replace("budgetingMethod: RatioTimeslices", "budgetingMethod: Occurrences", StringComparison.Ordinal);
        await ServerScenario.Ok(admin.Http.PostAsync("api/v1/openslo", Yaml(mapped)));
        var sli = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/slis/{customer}-main-page"))).JsonAsync();

        Assert.Contains("documents[0].spec.indicator.spec.thresholdMetric.metricSource.type", latency.Keys);
        Assert.Contains("documents[0].spec.budgetingMethod", ratioSlices.Keys);
        Assert.Contains("(document 0, 'main-page')", ratioSlices["documents[0].spec.budgetingMethod"][0], StringComparison.Ordinal);
        Assert.Contains("documents[0].spec.budgetingMethod", slices.Keys);
        Assert.Contains("documents[0].spec.timeWindow[0].duration", slices.Keys);
        Assert.Contains("documents[0].spec.objectives", slices.Keys);
        Assert.Contains("documents[0].spec.timeWindow[0].duration", week.Keys);
        Assert.Equal(99m, sli.GetProperty("objectivePercent").GetDecimal());
        Assert.Equal(14, sli.GetProperty("window").GetProperty("days").GetInt32());
        Assert.Equal("Main page availability", sli.GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_readmes_example_gives_a_monitor_its_latency_slo()
    {
        using var admin = await world.AdminAsync();
        var customer = await ServerScenario.CustomerAsync(admin.Http);
        var monitor = $"m-{customer}";
        await ServerScenario.MeasuredMonitorAsync(admin.Http, monitor, customer);
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OpenSlo", "Samples", "README.md"));
        var example = readme[(readme.IndexOf("### OpenSLO", StringComparison.Ordinal))..];
        example = example[(example.IndexOf("```yaml\n", StringComparison.Ordinal) + 8)..];
        example = example[..example.IndexOf("```", StringComparison.Ordinal)]
            .Replace("acme-api", monitor, StringComparison.Ordinal).Replace("service: acme", $"service: {customer}", StringComparison.Ordinal);

        var imported = await (await ServerScenario.Ok(admin.Http.PostAsync("api/v1/openslo", Yaml(example)))).JsonAsync();
        var read = await (await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/monitors/{monitor}"))).JsonAsync();

        Assert.Equal("created", imported.GetProperty("documents")[0].GetProperty("action").GetString());
        Assert.Equal(300, read.GetProperty("latency").GetProperty("thresholdMs").GetInt32());
        Assert.Equal(99m, read.GetProperty("latency").GetProperty("objectivePercent").GetDecimal());
    }

    [Fact]
    public async Task Only_admins_and_managers_import_and_only_staff_export()
    {
        using var admin = await world.AdminAsync();
        var (customer, monitor, sli) = await ImportedAsync(admin.Http);
        var user = $"viewer-{customer}";
        await ServerScenario.UserAsync(admin.Http, user, "customer", customer);
        using var viewer = await world.SignInAsync(user, ServerScenario.Password(user));

        var import = await viewer.Http.PostAsync("api/v1/openslo", Yaml(Slos(customer, monitor, sli, availability: 0.5m)));
        var export = await viewer.Http.GetAsync("api/v1/openslo");
        var rules = await viewer.Http.GetAsync($"api/v1/slos/monitor:{monitor}/prometheus-rules");

        Assert.Equal(HttpStatusCode.Forbidden, import.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, rules.StatusCode);
    }

    [SkippableFact]
    public async Task Promtool_accepts_the_burn_rate_rules_of_each_kind_of_slo()
    {
        if (!File.Exists(Promtool))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"CI must check the rules, but {Promtool} is missing: apt-get install -y --no-install-recommends prometheus.");
            }

            Skip.If(true, $"{Promtool} is missing (apt-get install -y --no-install-recommends prometheus): the generated rules are not checked here.");
        }

        using var admin = await world.AdminAsync();
        var (customer, monitor, sli) = await ImportedAsync(admin.Http);
        var plain = $"{customer}-plain";
        await ServerScenario.Ok(admin.Http.PutAsJsonAsync($"api/v1/slis/{plain}", new { customerId = customer, name = "Plain", objectivePercent = 99.5, window = new { kind = "calendar", unit = "month" } }));
        var unknown = await admin.Http.GetAsync("api/v1/slos/monitor:nobody/prometheus-rules");
        var bad = await admin.Http.GetAsync("api/v1/slos/whatever/prometheus-rules");

        foreach (var id in new[] { $"monitor:{monitor}", $"latency:{monitor}", $"sli:{sli}", $"sli:{plain}" })
        {
            var response = await ServerScenario.Ok(admin.Http.GetAsync($"api/v1/slos/{id}/prometheus-rules"));
            var rules = await response.Content.ReadAsStringAsync();
            var file = Path.Combine(Path.GetTempPath(), $"slagrains-rules-{Guid.NewGuid():N}.yaml");
            await File.WriteAllTextAsync(file, rules);
            try
            {
                var (code, output) = await RunAsync(Promtool, "check", "rules", file);
                Assert.True(code == 0, $"promtool check rules {id}: {output}\n{rules}");
                Assert.Contains("SUCCESS: 11 rules found", output, StringComparison.Ordinal); // 7 windows recorded, 4 alerts
            }
            finally
            {
                File.Delete(file);
            }

            Assert.Equal("application/yaml", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("severity: page", rules, StringComparison.Ordinal);
            Assert.Contains("severity: ticket", rules, StringComparison.Ordinal);
            Assert.Contains("for: 2m", rules, StringComparison.Ordinal);
        }

        var sliRules = await (await admin.Http.GetAsync($"api/v1/slos/sli:{sli}/prometheus-rules")).Content.ReadAsStringAsync();
        Assert.Contains("[5m]", sliRules, StringComparison.Ordinal); // the total query's {{.window}} filled in
        Assert.Contains("[5m:]", sliRules, StringComparison.Ordinal); // the bad counter read over a subquery
        Assert.Contains("> 0.0144 and", await (await admin.Http.GetAsync($"api/v1/slos/sli:{sli}/prometheus-rules")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static async Task<(int Code, string Output)> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
