using System.Text.Json.Nodes;
using NodaTime.Text;

namespace SlaGrains.Server.Tests.Fuzz;

/// <summary>
/// What a well-formed request to an operation looks like, for the seeded data: path values, query values and body.
/// The fuzz never sends a baseline as is (a valid change would change state); it sends it with one thing broken.
/// An operation the table does not know gets a baseline made from its schema (and is named in the output).
/// </summary>
internal sealed record Baseline(IReadOnlyDictionary<string, string> Path, IReadOnlyDictionary<string, string> Query, JsonNode? Body, bool Known)
{
    /// <summary>Operations that only compute on the request's own data and store nothing (the what-if tools).</summary>
    public static bool IsStateless(ApiOperation operation) => operation.Template.StartsWith("/api/v1/tools/", StringComparison.Ordinal);

    public static Baseline For(ApiOperation operation, FuzzWorld world)
    {
        var soon = world.SeededAt + Duration.FromDays(3);
        string I(Instant instant) => InstantPattern.ExtendedIso.Format(instant);
        var calendar = """
            {"timeZone": "Europe/Berlin",
             "weeklyHours": {"monday": [{"start": "09:00", "end": "17:00"}], "tuesday": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}]},
             "holidays": ["2026-12-25"],
             "specialHours": [{"date": "2026-12-24", "hours": [{"start": "09:00", "end": "12:00"}]}]}
            """;
        Dictionary<string, string> path = [];
        Dictionary<string, string> query = [];
        string? body = null;
        foreach (var parameter in operation.PathParameters)
        {
            path[parameter.Name] = parameter.Name switch
            {
                "id" when operation.Template.StartsWith("/api/v1/monitors/", StringComparison.Ordinal) => world.MonitorOfA,
                "id" when operation.Template.StartsWith("/api/v1/tickets/", StringComparison.Ordinal) => world.TicketOfA,
                "id" => world.A,
                "userName" => "alice",
                "keyId" => world.CustomerKeyId,
                "noticeId" => "notice-2026-01",
                "disputeId" => "dispute-2026-01",
                "maintenanceId" => world.MaintenanceOfA,
                "incidentId" => world.IncidentOfA,
                "ruleId" => "warn",
                "webhookId" => world.WebhookOfA,
                "deliveryId" => "delivery-none",
                _ => "fuzz-unknown",
            };
        }

        var known = true;
        switch (operation.Name)
        {
            case "POST /api/v1/auth/sign-in":
                body = """{"userName": "fuzz-nobody", "password": "not-the-password-1"}""";
                break;
            case "POST /api/v1/users":
                body = """{"userName": "fuzz-user", "password": "fuzz-password-123", "role": "technician", "customerId": null, "team": "red"}""";
                break;
            case "POST /api/v1/api-keys":
                body = $$"""{"name": "fuzz key", "scope": "customer", "customerId": "{{world.A}}"}""";
                break;
            case "POST /api/v1/customers":
                body = """{"id": "fuzz-customer", "name": "Fuzz customer", "group": "fuzzers"}""";
                break;
            case "PUT /api/v1/customers/{id}/contract":
                body = """
                    {"slaTargetPercent": 99.9, "sloTargetPercent": 99.95, "monthlyFee": 1000, "currency": "EUR",
                     "creditSchedule": [{"minPercent": 99, "maxPercent": 99.9, "creditPercent": 10}, {"minPercent": 0, "maxPercent": 99, "creditPercent": 25}],
                     "creditCapPercent": 50, "maintenanceNoticeHours": 48}
                    """;
                break;
            case "PUT /api/v1/customers/{id}/calendar":
                body = calendar;
                break;
            case "PUT /api/v1/me/notification-preferences" or "PUT /api/v1/users/{userName}/notification-preferences":
                body = $$$"""
                    {"deliveries": {"breach": {"email": "immediately", "slack": "off"}, "warning": {"email": "hourlyDigest"}},
                     "workingHours": {{{calendar}}}, "quietOutsideWorkingHours": true, "urgentBreaksQuietHours": true,
                     "slackUrl": null, "teamsUrl": null}
                    """;
                break;
            case "PUT /api/v1/customers/{id}/policy":
                body = """
                    {"name": "Platinum",
                     "targets": {"p1": {"firstResponse": "PT1H", "resolution": "PT8H", "nextReply": "PT2H", "coverage": "aroundTheClock"},
                                 "p2": {"firstResponse": "PT4H", "resolution": "PT24H", "nextReply": null, "coverage": "businessHours"}},
                     "overrides": {"p1": {"firstResponse": "PT30M", "resolution": "PT4H", "nextReply": null}}}
                    """;
                break;
            case "PUT /api/v1/customers/{id}/status-page":
                body = """{"slug": "fuzz-page", "enabled": true, "showAvailability": false}""";
                break;
            case "PUT /api/v1/customers/{id}/contacts":
                body = """{"contacts": [{"name": "Fuzz Finance", "email": "fuzz@example.com", "creditNotices": true, "maintenance": false, "monthlyStatement": true}]}""";
                break;
            case "PUT /api/v1/customers/{id}/components":
                body = $$"""[{"monitorId": "{{world.MonitorOfA}}", "critical": true}]""";
                break;
            case "POST /api/v1/customers/{id}/disputes":
                body = """{"month": "2026-01", "claimedAvailabilityPercent": 99.5, "evidence": "Our own probes.", "downIntervalsCsv": "start,end\n2026-01-05T10:00:00Z,2026-01-05T11:00:00Z"}""";
                break;
            case "POST /api/v1/customers/{id}/disputes/{disputeId}/resolve":
                body = """{"decision": "adjust", "availabilityPercent": 99.5, "note": "Checked the logs."}""";
                break;
            case "POST /api/v1/customers/{id}/escalations/acknowledge":
                body = """{"escalationId": "esc-none"}""";
                break;
            case "POST /api/v1/escalations/acknowledge":
                body = """{"ids": ["esc-none"]}""";
                break;
            case "GET /api/v1/customers/{id}/reports":
                query["period"] = "2026-01";
                query["format"] = "json";
                break;
            case "GET /api/v1/customers/{id}/reports/checks.csv":
                // Issue 20 — provisional reports: an ended month, so malformed asOf and period values meet a valid baseline.
                query["period"] = "2026-01";
                break;
            case "GET /api/v1/reports/managers":
                query["from"] = "2026-01";
                query["to"] = "2026-03";
                query["format"] = "json";
                break;
            case "GET /api/v1/invoice-lines":
                query["month"] = "2026-01";
                query["format"] = "json";
                break;
            case "POST /api/v1/monitors":
                body = $$"""
                    {"id": "fuzz-monitor", "customerId": "{{world.A}}", "name": "Fuzz probe", "critical": true, "consecutiveFailures": 2, "sloPercent": 99.5,
                     "regions": ["eu", "us"], "heartbeatGraceSeconds": null, "kind": "http",
                     "http": {"url": "http://127.0.0.1:9/health", "intervalSeconds": 60, "timeoutSeconds": 10, "expectedStatusCodes": [200, "300-399"], "keyword": "ok"}
                    }
                    """;
                break;
            case "POST /api/v1/monitors/{id}/checks":
                body = $$"""{"up": false, "at": "{{I(world.SeededAt - Duration.FromMinutes(5))}}", "region": "eu"}""";
                break;
            case "POST /api/v1/monitors/{id}/checks/batch":
                body = $$"""[{"up": true, "at": "{{I(world.SeededAt - Duration.FromMinutes(6))}}", "region": "eu"}, {"up": false, "at": "{{I(world.SeededAt - Duration.FromMinutes(5))}}", "region": "us"}]""";
                break;
            case "POST /api/v1/monitors/{id}/maintenance":
                body = $$"""{"start": "{{I(soon)}}", "end": "{{I(soon + Duration.FromHours(2))}}", "description": "Database upgrade"}""";
                break;
            case "GET /api/v1/monitors/{id}/rollups":
                query["granularity"] = "hour";
                query["from"] = I(world.SeededAt - Duration.FromDays(1));
                query["to"] = I(world.SeededAt);
                break;
            case "GET /api/v1/monitors/{id}/response-times":
                query["granularity"] = "hour";
                query["from"] = I(world.SeededAt - Duration.FromDays(1));
                query["to"] = I(world.SeededAt);
                query["limit"] = "100";
                break;
            case "GET /api/v1/monitors/{id}/results":
                query["from"] = I(world.SeededAt - Duration.FromHours(1));
                query["to"] = I(world.SeededAt);
                query["limit"] = "100";
                break;
            case "PUT /api/v1/monitors/{id}/incidents/{incidentId}/postmortem":
                body = """{"url": "http://127.0.0.1/postmortems/1"}""";
                break;
            case "PUT /api/v1/monitors/{id}/incidents/{incidentId}/review":
                body = """{"rootCause": "deploy", "resolution": "Rolled back."}""";
                break;
            case "POST /api/v1/tickets":
                body = $$"""{"id": "FUZZ-1", "customerId": "{{world.A}}", "priority": "p2", "subject": "Fuzzed", "requester": "someone", "team": "red", "assignee": "tom"}""";
                break;
            case "GET /api/v1/tickets":
                query["customer"] = world.A;
                query["team"] = "red";
                query["assignee"] = "tom";
                query["state"] = "open";
                query["priority"] = "p2";
                query["q"] = "Printer";
                query["pageSize"] = "20";
                break;
            case "POST /api/v1/tickets/{id}/assign":
                body = """{"team": "blue", "assignee": "tom"}""";
                break;
            case "POST /api/v1/tickets/{id}/priority":
                body = """{"priority": "p3"}""";
                break;
            case "POST /api/v1/tickets/{id}/status":
                body = """{"status": "onHold"}""";
                break;
            case "POST /api/v1/tickets/{id}/replies":
                body = """{"from": "agent"}""";
                break;
            case "PUT /api/v1/customers/{id}/escalation-rules":
                body = """[{"id": "warn", "metric": "resolution", "percent": 75, "action": "notify", "target": "role:manager", "onlyPriority": "p1"}]""";
                break;
            case "POST /api/v1/customers/{id}/escalation-rules":
                body = """{"id": "late", "metric": "firstResponse", "percent": 100, "action": "reassign", "target": "team:red", "onlyPriority": null}""";
                break;
            case "GET /api/v1/escalations":
                query["customer"] = world.A;
                query["acknowledged"] = "false";
                query["metric"] = "resolution";
                query["pageSize"] = "20";
                break;
            case "POST /api/v1/customers/{id}/webhooks":
                body = """{"url": "http://127.0.0.1:9/other", "eventTypes": ["incident.opened", "incident.resolved"], "description": "Fuzz hook"}""";
                break;
            case "PATCH /api/v1/customers/{id}/webhooks/{webhookId}":
                body = """{"enabled": false}""";
                break;
            case "GET /api/v1/customers/{id}/webhooks/deliveries":
                query["page"] = "1";
                query["pageSize"] = "20";
                break;
            case "POST /api/v1/tools/business-time":
                body = $$"""{"calendar": {{calendar}}, "start": "2026-03-02T08:00:00Z", "add": "PT4H", "until": "2026-03-06T08:00:00Z", "pauses": [{"start": "2026-03-03T10:00:00Z", "end": "2026-03-03T12:00:00Z"}]}""";
                break;
            case "POST /api/v1/tools/availability":
                body = """
                    {"periodStart": "2026-03-01T00:00:00Z", "periodEnd": "2026-04-01T00:00:00Z", "targetPercent": 99.9,
                     "downtime": [{"start": "2026-03-05T10:00:00Z", "end": "2026-03-05T10:30:00Z"}],
                     "maintenance": [{"start": "2026-03-10T01:00:00Z", "end": "2026-03-10T02:00:00Z", "announcedAt": "2026-03-01T00:00:00Z"}],
                     "maintenanceNoticeHours": 48}
                    """;
                break;
            case "POST /api/v1/tools/credit":
                body = """{"availabilityPercent": 99.5, "targetPercent": 99.9, "monthlyFee": 1000, "schedule": [{"minPercent": 99, "maxPercent": 99.9, "creditPercent": 10}, {"minPercent": 0, "maxPercent": 99, "creditPercent": 25}], "capPercent": 50}""";
                break;
            default:
                known = operation.Body is null && !operation.QueryParameters.Any();
                break;
        }

        foreach (var parameter in operation.QueryParameters.Where(p => !query.ContainsKey(p.Name)))
        {
            known = false;
            query[parameter.Name] = "x";
        }

        var node = body is not null ? JsonNode.Parse(body) : operation.Body is { } schema ? FromSchema(schema, 0) : null;
        return new Baseline(path, query, node, known && (body is not null || operation.Body is null));
    }

    /// <summary>A plausible value for a schema nobody wrote a baseline for.</summary>
    private static JsonNode? FromSchema(Schema schema, int depth)
    {
        if (depth > 4)
        {
            return null;
        }

        return schema.Reference switch
        {
            "Instant" => JsonValue.Create("2026-03-02T08:00:00Z"),
            "Duration" => JsonValue.Create("PT1H"),
            "LocalDate" => JsonValue.Create("2026-03-02"),
            "YearMonth" => JsonValue.Create("2026-03"),
            _ when schema.Enum is { Count: > 0 } values => JsonValue.Create(values[0]),
            _ when schema.Types.Contains("boolean") => JsonValue.Create(true),
            _ when schema.Types.Contains("integer") || schema.Types.Contains("number") => JsonValue.Create(1),
            _ when schema.Types.Contains("array") => new JsonArray(schema.Items is { } items ? FromSchema(items, depth + 1) : JsonValue.Create("x")),
            _ when schema.IsDictionary => new JsonObject(),
            _ when schema.Types.Contains("object") => new JsonObject(schema.Required.Select(name => KeyValuePair.Create(name, schema.Property(name) is { } p ? FromSchema(p, depth + 1) : null))),
            _ => JsonValue.Create("fuzz"),
        };
    }
}
