using Microsoft.Data.Sqlite;

namespace SlaGrains.Storage.Sqlite;

/// <summary>
/// The schema of a SlaGrains SQLite database and the migrations that build it. Each migration runs once,
/// in order, inside one transaction together with the <c>schema_version</c> row that records it, so starting
/// again on an up-to-date file changes nothing.
/// </summary>
/// <remarks>
/// <para><c>grain_state</c>: one row per (service id, grain type, grain key, state name); <c>payload</c> is the
/// serialized state (NULL once cleared) and <c>version</c> the row's write count, which is the ETag. Rows are
/// found by their full key, never by a hash, so distinct grains cannot collide.</para>
/// <para><c>reminder</c>: one row per (service id, grain id, reminder name); <c>start_time</c> and <c>period</c>
/// are .NET ticks (UTC for the start), <c>grain_hash</c> is <c>GrainId.GetUniformHashCode()</c> (0 to 2^32 − 1,
/// an INTEGER holds it without sign games) and <c>version</c> comes from a database-wide counter, so an ETag is
/// never reused even after a reminder is removed and registered again.</para>
/// <para><c>tickets</c> and <c>clock_transitions</c> (version 2): the ticket read models written and queried by
/// <see cref="ReadModels.SqliteReadModels"/>; instants and durations are nanoseconds (<c>ReadModelTime</c>).</para>
/// <para><c>escalations</c> (version 3): the escalation read model (the inbox), written and queried by the same object.</para>
/// <para><c>monitors</c>, <c>check_results</c>, <c>check_rollups</c>, <c>incidents</c> and <c>maintenance</c> (version 4):
/// the monitor read models, written, queried and pruned by the same object.</para>
/// <para><c>budget_alerts</c> (version 5): one row per firing of a burn-rate alert; who acknowledged it and when (version 6).</para>
/// <para><c>incident_updates</c> and <c>manual_incidents</c> (version 7): incidents' update timelines and manual incidents.</para>
/// <para><c>channel_messages</c> and <c>channel_attempts</c> (version 8): the channel outbox (email, Slack, Teams) and its
/// delivery log, written and queried by <see cref="Channels.SqliteChannelOutbox"/>.</para>
/// <para><c>status_subscribers</c> (version 9): the email subscribers of public status pages, written and queried by
/// <see cref="Subscribers.SqliteStatusSubscribers"/>.</para>
/// <para><c>check_rollups.response_p99</c> (version 10): the 99th-percentile response time of a bucket (NULL on older rows).</para>
/// <para><c>tickets.incident_id</c> (version 11): the incident a ticket is linked to (NULL for none).</para>
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>The schema version a database reaches after start-up.</summary>
    public const int CurrentVersion = 11;

    private static readonly (int Version, string Sql)[] Migrations =
    [
        (1, """
            CREATE TABLE grain_state (
                service_id TEXT NOT NULL,
                grain_type TEXT NOT NULL,
                grain_key TEXT NOT NULL,
                state_name TEXT NOT NULL,
                version INTEGER NOT NULL,
                payload BLOB NULL
            );
            CREATE UNIQUE INDEX grain_state_key ON grain_state (service_id, grain_type, grain_key, state_name);

            CREATE TABLE reminder (
                service_id TEXT NOT NULL,
                grain_id TEXT NOT NULL,
                reminder_name TEXT NOT NULL,
                start_time INTEGER NOT NULL,
                period INTEGER NOT NULL,
                grain_hash INTEGER NOT NULL CHECK (grain_hash BETWEEN 0 AND 4294967295),
                version INTEGER NOT NULL,
                PRIMARY KEY (service_id, grain_id, reminder_name)
            ) WITHOUT ROWID;
            CREATE INDEX reminder_by_hash ON reminder (service_id, grain_hash);

            CREATE TABLE counter (
                name TEXT NOT NULL PRIMARY KEY,
                value INTEGER NOT NULL
            ) WITHOUT ROWID;
            INSERT INTO counter (name, value) VALUES ('reminder_version', 0);
            """),
        (2, """
            -- One row per ticket as lists show it (see TicketRowsSql). Instants are nanoseconds since the Unix
            -- epoch, durations nanoseconds. deadline_key is next_deadline, or the largest integer when nothing is
            -- pending, so that tickets without a deadline sort last in every index below. Clock columns are NULL
            -- when the ticket has no clock of that metric (fr_ first response, res_ resolution, nr_ next reply).
            CREATE TABLE tickets (
                ticket_id TEXT NOT NULL PRIMARY KEY,
                customer_id TEXT NOT NULL,
                subject TEXT NOT NULL,
                requester TEXT NOT NULL,
                priority INTEGER NOT NULL,
                status INTEGER NOT NULL,
                team TEXT NULL,
                assignee TEXT NULL,
                escalated INTEGER NOT NULL CHECK (escalated IN (0, 1)),
                created_at INTEGER NOT NULL,
                resolved_at INTEGER NULL,
                closed_at INTEGER NULL,
                as_of INTEGER NOT NULL,
                version INTEGER NOT NULL,
                next_deadline INTEGER NULL,
                deadline_key INTEGER NOT NULL,
                fr_state INTEGER NULL, fr_cycle INTEGER NULL, fr_target INTEGER NULL, fr_elapsed INTEGER NULL,
                fr_remaining INTEGER NULL, fr_breach_at INTEGER NULL, fr_next_at INTEGER NULL,
                fr_next_percent INTEGER NULL, fr_at_risk_at INTEGER NULL,
                res_state INTEGER NULL, res_cycle INTEGER NULL, res_target INTEGER NULL, res_elapsed INTEGER NULL,
                res_remaining INTEGER NULL, res_breach_at INTEGER NULL, res_next_at INTEGER NULL,
                res_next_percent INTEGER NULL, res_at_risk_at INTEGER NULL,
                nr_state INTEGER NULL, nr_cycle INTEGER NULL, nr_target INTEGER NULL, nr_elapsed INTEGER NULL,
                nr_remaining INTEGER NULL, nr_breach_at INTEGER NULL, nr_next_at INTEGER NULL,
                nr_next_percent INTEGER NULL, nr_at_risk_at INTEGER NULL
            );

            -- The list order under each filter a page is asked with, so a page reads its rows in order and stops.
            CREATE INDEX tickets_by_customer ON tickets (customer_id, deadline_key, created_at, ticket_id);
            CREATE INDEX tickets_by_deadline ON tickets (deadline_key, created_at, ticket_id);
            CREATE INDEX tickets_by_assignee ON tickets (assignee, deadline_key, created_at, ticket_id) WHERE assignee IS NOT NULL;
            CREATE INDEX tickets_by_team ON tickets (team, deadline_key, created_at, ticket_id) WHERE team IS NOT NULL;
            -- Reports and aggregates: a customer's tickets created in a period.
            CREATE INDEX tickets_by_customer_created ON tickets (customer_id, created_at);

            -- A ticket's audit trail, entry by entry: inserted once, never changed.
            CREATE TABLE clock_transitions (
                ticket_id TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                customer_id TEXT NOT NULL,
                at INTEGER NOT NULL,
                kind TEXT NOT NULL,
                metric INTEGER NULL,
                threshold INTEGER NULL,
                description TEXT NOT NULL,
                recorded_at INTEGER NOT NULL,
                caused_by TEXT NULL,
                PRIMARY KEY (ticket_id, sequence)
            ) WITHOUT ROWID;
            """),
        (3, """
            -- One row per escalation (an alert that matched a rule; see EscalationRowsSql): the alert's fields, when
            -- it was raised, its actions (their texts joined with line feeds) and its acknowledgement (NULL until
            -- acknowledged). Instants are nanoseconds since the Unix epoch, enums their integer values.
            CREATE TABLE escalations (
                escalation_id TEXT NOT NULL PRIMARY KEY,
                customer_id TEXT NOT NULL,
                ticket_id TEXT NOT NULL,
                metric INTEGER NOT NULL,
                percent INTEGER NOT NULL,
                cycle INTEGER NOT NULL,
                priority INTEGER NOT NULL,
                team TEXT NULL,
                assignee TEXT NULL,
                due_at INTEGER NOT NULL,
                recorded_at INTEGER NOT NULL,
                raised_at INTEGER NOT NULL,
                actions TEXT NOT NULL,
                acknowledged_by TEXT NULL,
                acknowledged_at INTEGER NULL,
                version INTEGER NOT NULL
            );

            -- The inbox order (newest first) under each filter a page is asked with, so a page reads its rows in
            -- order and stops; the partial ones keep "not yet acknowledged" from stepping over the acknowledged rows.
            CREATE INDEX escalations_by_raised ON escalations (raised_at DESC, escalation_id DESC);
            CREATE INDEX escalations_by_customer ON escalations (customer_id, raised_at DESC, escalation_id DESC);
            CREATE INDEX escalations_by_ticket ON escalations (ticket_id, raised_at DESC, escalation_id DESC);
            CREATE INDEX escalations_unacknowledged ON escalations (raised_at DESC, escalation_id DESC) WHERE acknowledged_by IS NULL;
            CREATE INDEX escalations_unacknowledged_by_customer ON escalations (customer_id, raised_at DESC, escalation_id DESC) WHERE acknowledged_by IS NULL;
            """),
        (4, """
            -- The monitor read models (see MonitorRowsSql). Instants are nanoseconds since the Unix epoch, durations
            -- nanoseconds, enums their integer values, flags 0 or 1. Every row but a check result carries the version
            -- of the monitor grain's state it was made from and is replaced only by a higher one.

            -- One row per monitor, as a monitor list shows it.
            CREATE TABLE monitors (
                monitor_id TEXT NOT NULL PRIMARY KEY,
                customer_id TEXT NOT NULL,
                component TEXT NOT NULL,
                is_critical INTEGER NOT NULL CHECK (is_critical IN (0, 1)),
                kind TEXT NOT NULL,
                is_down INTEGER NOT NULL CHECK (is_down IN (0, 1)),
                last_result_at INTEGER NULL,
                version INTEGER NOT NULL
            );
            -- A customer's monitors in list order.
            CREATE INDEX monitors_by_customer ON monitors (customer_id, monitor_id);

            -- Raw results, inserted once, never changed; region '' for a single-location monitor. The key leads with
            -- (monitor, at), so one monitor's results newest first are a walk of the key; pruning walks the index on at.
            CREATE TABLE check_results (
                monitor_id TEXT NOT NULL,
                at INTEGER NOT NULL,
                region TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                is_down INTEGER NOT NULL CHECK (is_down IN (0, 1)),
                response_time INTEGER NULL,
                PRIMARY KEY (monitor_id, at, region)
            ) WITHOUT ROWID;
            CREATE INDEX check_results_by_at ON check_results (at);

            -- Hourly (granularity 0) and daily (1) figures per monitor; the key serves the range a chart reads,
            -- pruning walks the index on bucket_start.
            CREATE TABLE check_rollups (
                monitor_id TEXT NOT NULL,
                granularity INTEGER NOT NULL,
                bucket_start INTEGER NOT NULL,
                customer_id TEXT NOT NULL,
                up_time INTEGER NOT NULL,
                down_time INTEGER NOT NULL,
                unknown_time INTEGER NOT NULL,
                checks INTEGER NOT NULL,
                failed_checks INTEGER NOT NULL,
                response_p50 INTEGER NULL,
                response_p95 INTEGER NULL,
                response_max INTEGER NULL,
                version INTEGER NOT NULL,
                PRIMARY KEY (monitor_id, granularity, bucket_start)
            ) WITHOUT ROWID;
            CREATE INDEX check_rollups_by_bucket ON check_rollups (bucket_start);

            -- One row per incident; end_at and resolved_at NULL while open, the review columns NULL until reviewed.
            CREATE TABLE incidents (
                incident_id TEXT NOT NULL PRIMARY KEY,
                monitor_id TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                component TEXT NOT NULL,
                start_at INTEGER NOT NULL,
                end_at INTEGER NULL,
                opened_at INTEGER NOT NULL,
                resolved_at INTEGER NULL,
                postmortem TEXT NULL,
                root_cause INTEGER NULL,
                resolution TEXT NULL,
                version INTEGER NOT NULL
            );
            -- Newest first (read backwards), for a customer and for everyone.
            CREATE INDEX incidents_by_customer ON incidents (customer_id, start_at, incident_id);
            CREATE INDEX incidents_by_start ON incidents (start_at, incident_id);

            -- One row per announced maintenance window; a cancelled one keeps its row, marked.
            CREATE TABLE maintenance (
                maintenance_id TEXT NOT NULL PRIMARY KEY,
                monitor_id TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                component TEXT NOT NULL,
                start_at INTEGER NOT NULL,
                end_at INTEGER NOT NULL,
                announced_at INTEGER NOT NULL,
                description TEXT NOT NULL,
                cancelled INTEGER NOT NULL CHECK (cancelled IN (0, 1)),
                version INTEGER NOT NULL
            );
            -- A customer's windows that have not ended yet.
            CREATE INDEX maintenance_by_customer ON maintenance (customer_id, end_at);
            -- The board's filters from the index: a customer's tickets in deadline order carry status, priority, team
            -- and assignee, so counting or filtering a customer's open tickets reads a table row only for what it shows.
            DROP INDEX tickets_by_customer;
            CREATE INDEX tickets_by_customer ON tickets (customer_id, deadline_key, created_at, ticket_id, status, priority, team, assignee);
            """),
        (5, """
            -- One row per firing of a burn-rate alert, keyed by (monitor, name, started at); stopped_at NULL while it
            -- fires. Burn rates and the factor are invariant decimal text (read back exactly).
            CREATE TABLE budget_alerts (
                alert_id TEXT NOT NULL PRIMARY KEY,
                monitor_id TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                component TEXT NOT NULL,
                name TEXT NOT NULL,
                severity INTEGER NOT NULL,
                factor TEXT NOT NULL,
                long_window INTEGER NOT NULL,
                short_window INTEGER NOT NULL,
                long_burn_rate TEXT NOT NULL,
                short_burn_rate TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                stopped_at INTEGER NULL,
                version INTEGER NOT NULL
            );
            -- Newest first (read backwards), for a customer and for everyone.
            CREATE INDEX budget_alerts_by_customer ON budget_alerts (customer_id, started_at, alert_id);
            CREATE INDEX budget_alerts_by_start ON budget_alerts (started_at, alert_id);
            """),
        (6, """
            -- Who acknowledged a burn-rate alert's firing and when (nanoseconds); NULL while nobody has, and in rows
            -- written before.
            ALTER TABLE budget_alerts ADD COLUMN acknowledged_at INTEGER NULL;
            ALTER TABLE budget_alerts ADD COLUMN acknowledged_by TEXT NULL;
            """),
        (7, """
            -- One row per update staff post to an incident (a monitor's or a manual one), inserted once by (incident,
            -- sequence); status an IncidentUpdateStatus number, at nanoseconds since the Unix epoch.
            CREATE TABLE IF NOT EXISTS incident_updates (
                incident_id TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                customer_id TEXT NOT NULL,
                status INTEGER NOT NULL,
                message TEXT NOT NULL,
                posted_by TEXT NOT NULL,
                at INTEGER NOT NULL,
                PRIMARY KEY (incident_id, sequence)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS incident_updates_by_customer ON incident_updates (customer_id, at);

            -- One row per manual incident; resolved_at NULL while open; components the monitor ids joined by spaces.
            CREATE TABLE IF NOT EXISTS manual_incidents (
                incident_id TEXT NOT NULL PRIMARY KEY,
                customer_id TEXT NOT NULL,
                title TEXT NOT NULL,
                components TEXT NOT NULL,
                impact INTEGER NOT NULL,
                opened_at INTEGER NOT NULL,
                opened_by TEXT NOT NULL,
                resolved_at INTEGER NULL,
                version INTEGER NOT NULL
            );
            -- Newest first (read backwards), for a customer and for everyone.
            CREATE INDEX IF NOT EXISTS manual_incidents_by_customer ON manual_incidents (customer_id, opened_at, incident_id);
            CREATE INDEX IF NOT EXISTS manual_incidents_by_opening ON manual_incidents (opened_at, incident_id);
            """),
        (8, """
            -- The channel outbox: one row per people-facing message (email, Slack, Teams), keyed by its idempotency id.
            -- state 0 pending, 1 delivered, 2 dead-lettered; instants in nanoseconds. The due index serves the
            -- dispatcher's "pending of this channel, earliest due first"; changed_at orders the staff's lists.
            CREATE TABLE IF NOT EXISTS channel_messages (
                message_id TEXT NOT NULL PRIMARY KEY,
                channel INTEGER NOT NULL,
                target TEXT NOT NULL,
                template TEXT NOT NULL,
                model TEXT NOT NULL,
                customer_id TEXT NULL,
                attachment_name TEXT NULL,
                attachment_type TEXT NULL,
                attachment BLOB NULL,
                queued_at INTEGER NOT NULL,
                state INTEGER NOT NULL CHECK (state IN (0, 1, 2)),
                attempts INTEGER NOT NULL,
                attempts_this_round INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                last_outcome TEXT NULL,
                delivered_at INTEGER NULL,
                changed_at INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS channel_messages_due ON channel_messages (channel, state, next_attempt_at);
            CREATE INDEX IF NOT EXISTS channel_messages_by_state ON channel_messages (state, changed_at);

            -- The delivery log: one row per attempt, newest first by id.
            CREATE TABLE IF NOT EXISTS channel_attempts (
                attempt_id INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id TEXT NOT NULL,
                channel INTEGER NOT NULL,
                target TEXT NOT NULL,
                template TEXT NOT NULL,
                customer_id TEXT NULL,
                attempt INTEGER NOT NULL,
                at INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                took INTEGER NOT NULL,
                result INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS channel_attempts_by_message ON channel_attempts (message_id);
            """),
        (9, """
            -- Email subscribers of public status pages (see Subscribers/StatusSubscriberStores.cs): status 0 pending,
            -- 1 confirmed, 2 unsubscribed; components and requested are monitor ids joined by spaces ('' for all,
            -- requested NULL when no change waits); instants in nanoseconds. One row per (customer, address); the
            -- fan-out reads a customer's confirmed subscribers by id.
            CREATE TABLE IF NOT EXISTS status_subscribers (
                subscriber_id TEXT NOT NULL PRIMARY KEY,
                customer_id TEXT NOT NULL,
                address TEXT NOT NULL,
                status INTEGER NOT NULL CHECK (status IN (0, 1, 2)),
                components TEXT NOT NULL,
                requested TEXT NULL,
                generation INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                requested_at INTEGER NOT NULL,
                confirmation_sent_at INTEGER NULL,
                confirmed_at INTEGER NULL
            );
            CREATE UNIQUE INDEX IF NOT EXISTS status_subscribers_address ON status_subscribers (customer_id, address);
            CREATE INDEX IF NOT EXISTS status_subscribers_by_status ON status_subscribers (customer_id, status, subscriber_id);
            """),
        (10, """
            -- The response-time history keeps p99 beside p50/p95/max; rows written before stay NULL (not measured then).
            ALTER TABLE check_rollups ADD COLUMN response_p99 INTEGER NULL;
            """),
        (11, """
            -- Issue 20 — incidents linked to tickets: the incident a ticket is linked to (NULL for none; rows written
            -- before stay NULL until their ticket next changes or the read model is rebuilt); an incident's tickets by index.
            ALTER TABLE tickets ADD COLUMN incident_id TEXT NULL;
            CREATE INDEX IF NOT EXISTS tickets_by_incident ON tickets (incident_id, created_at, ticket_id) WHERE incident_id IS NOT NULL;
            """),
    ];

    /// <summary>
    /// Brings the database up to <see cref="CurrentVersion"/>, recording each applied migration with the instant it ran.
    /// </summary>
    /// <param name="connection">An open connection with no transaction in progress.</param>
    /// <param name="now">The instant recorded for applied migrations.</param>
    /// <returns>The versions applied now (empty when the file was already up to date).</returns>
    public static IReadOnlyList<int> Migrate(SqliteConnection connection, DateTimeOffset now)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER NOT NULL PRIMARY KEY,
                applied_utc TEXT NOT NULL
            );
            """);
        var current = ReadVersion(connection, transaction);
        if (current > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The SQLite database '{connection.DataSource}' has schema version {current}, newer than this build's {CurrentVersion}.");
        }

        var applied = new List<int>();
        foreach (var (version, sql) in Migrations)
        {
            if (version <= current)
            {
                continue;
            }

            Execute(connection, transaction, sql);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, applied_utc) VALUES ($version, $applied);";
            record.Parameters.AddWithValue("$version", version);
            record.Parameters.AddWithValue("$applied", now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            record.ExecuteNonQuery();
            applied.Add(version);
        }

        transaction.Commit();
        return applied;
    }

    /// <summary>The highest schema version recorded in the database, 0 when none.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The transaction in progress on <paramref name="connection"/>, if any.</param>
    /// <returns>The recorded version.</returns>
    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
