namespace SlaGrains.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema SlaGrains owns, as an ordered list of migrations. Each migration runs once, inside the
/// transaction that records it in <c>slagrains_schema_version</c>; a migration is never edited after release,
/// a change is a new migration.
/// </summary>
/// <remarks>
/// Orleans' ADO.NET providers (10.4.2) read their SQL from the <c>OrleansQuery</c> table by key and bind
/// parameters by name (<c>@Name</c>); result columns are read by name. The texts below satisfy that contract on
/// SlaGrains' own tables: grain state (persistence), reminders, and cluster membership.
/// </remarks>
internal static class PostgresMigrations
{
    /// <summary>All migrations, in the order they apply; versions start at 1 and have no gaps.</summary>
    public static IReadOnlyList<PostgresMigration> All { get; } =
    [
        new(1, "grain state, reminders, membership and the OrleansQuery texts for Orleans 10.4.2", V1),
        new(2, "ASP.NET Core data protection keys shared by every silo's web host", V2),
        new(3, "ticket read models: tickets and clock_transitions", V3),
        new(4, "escalation read model: escalations", V4),
        new(5, "monitor read models: monitors, check_results, check_rollups, incidents and maintenance; the board's filter columns in ix_tickets_customer", V5),
        new(6, "budget alert read model: budget_alerts", V6),
        new(7, "budget alert acknowledgements: budget_alerts.acknowledged_at and acknowledged_by", V7),
        new(8, "incident timelines: incident_updates and manual_incidents", V8),
        new(9, "channel outbox: channel_messages and channel_attempts", V9),
        new(10, "status page email subscribers: status_subscribers", V10),
        new(11, "response-time history: check_rollups.response_p99", V11),
        new(12, "incidents linked to tickets: tickets.incident_id", V12),
    ];

    // Issue 20 — incidents linked to tickets: the incident a ticket is linked to, as on SQLite (migration 11 there).
    private const string V12 = """
        ALTER TABLE tickets ADD COLUMN IF NOT EXISTS incident_id text COLLATE "C" NULL;
        CREATE INDEX IF NOT EXISTS ix_tickets_incident ON tickets (incident_id, created_at, ticket_id) WHERE incident_id IS NOT NULL;
        """;

    // The 99th-percentile response time of a rollup bucket, as on SQLite; rows written before stay NULL.
    private const string V11 = """
        ALTER TABLE check_rollups ADD COLUMN IF NOT EXISTS response_p99 bigint NULL;
        """;

    // Email subscribers of public status pages, as on SQLite (see Subscribers/StatusSubscriberStores.cs).
    private const string V10 = """
        CREATE TABLE IF NOT EXISTS status_subscribers
        (
            subscriber_id        text COLLATE "C" NOT NULL PRIMARY KEY,
            customer_id          text COLLATE "C" NOT NULL,
            address              text    NOT NULL,
            status               integer NOT NULL CHECK (status IN (0, 1, 2)),
            components           text    NOT NULL,
            requested            text    NULL,
            generation           integer NOT NULL,
            created_at           bigint  NOT NULL,
            requested_at         bigint  NOT NULL,
            confirmation_sent_at bigint  NULL,
            confirmed_at         bigint  NULL
        );

        CREATE UNIQUE INDEX IF NOT EXISTS ux_status_subscribers_address ON status_subscribers (customer_id, address);
        CREATE INDEX IF NOT EXISTS ix_status_subscribers_status ON status_subscribers (customer_id, status, subscriber_id);
        """;

    // Incident timelines, as on SQLite (see ReadModels/IncidentRowsSql.cs): one row per update, inserted once by
    // (incident, sequence); one row per manual incident, replaced only by a higher version.
    private const string V8 = """
        CREATE TABLE IF NOT EXISTS incident_updates
        (
            incident_id text COLLATE "C" NOT NULL,
            sequence    integer NOT NULL,
            customer_id text COLLATE "C" NOT NULL,
            status      integer NOT NULL,
            message     text    NOT NULL,
            posted_by   text    NOT NULL,
            at          bigint  NOT NULL,
            PRIMARY KEY (incident_id, sequence)
        );

        CREATE INDEX IF NOT EXISTS ix_incident_updates_customer ON incident_updates (customer_id, at);

        CREATE TABLE IF NOT EXISTS manual_incidents
        (
            incident_id text COLLATE "C" NOT NULL PRIMARY KEY,
            customer_id text COLLATE "C" NOT NULL,
            title       text    NOT NULL,
            components  text    NOT NULL,
            impact      integer NOT NULL,
            opened_at   bigint  NOT NULL,
            opened_by   text    NOT NULL,
            resolved_at bigint  NULL,
            version     bigint  NOT NULL
        );

        CREATE INDEX IF NOT EXISTS ix_manual_incidents_customer ON manual_incidents (customer_id, opened_at, incident_id);
        CREATE INDEX IF NOT EXISTS ix_manual_incidents_opening ON manual_incidents (opened_at, incident_id);
        """;

    // The channel outbox and its delivery log, as on SQLite (see Channels/ChannelOutboxSql.cs): state 0 pending,
    // 1 delivered, 2 dead-lettered; instants in nanoseconds since the Unix epoch; ids COLLATE "C" as elsewhere.
    private const string V9 = """
        CREATE TABLE IF NOT EXISTS channel_messages
        (
            message_id          text COLLATE "C" NOT NULL PRIMARY KEY,
            channel             integer NOT NULL,
            target              text    NOT NULL,
            template            text    NOT NULL,
            model               text    NOT NULL,
            customer_id         text COLLATE "C" NULL,
            attachment_name     text    NULL,
            attachment_type     text    NULL,
            attachment          bytea   NULL,
            queued_at           bigint  NOT NULL,
            state               integer NOT NULL CHECK (state IN (0, 1, 2)),
            attempts            integer NOT NULL,
            attempts_this_round integer NOT NULL,
            next_attempt_at     bigint  NOT NULL,
            last_outcome        text    NULL,
            delivered_at        bigint  NULL,
            changed_at          bigint  NOT NULL
        );

        CREATE INDEX IF NOT EXISTS ix_channel_messages_due ON channel_messages (channel, state, next_attempt_at);
        CREATE INDEX IF NOT EXISTS ix_channel_messages_state ON channel_messages (state, changed_at);

        CREATE TABLE IF NOT EXISTS channel_attempts
        (
            attempt_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            message_id  text COLLATE "C" NOT NULL,
            channel     integer NOT NULL,
            target      text    NOT NULL,
            template    text    NOT NULL,
            customer_id text COLLATE "C" NULL,
            attempt     integer NOT NULL,
            at          bigint  NOT NULL,
            outcome     text    NOT NULL,
            took        bigint  NOT NULL,
            result      integer NOT NULL
        );

        CREATE INDEX IF NOT EXISTS ix_channel_attempts_message ON channel_attempts (message_id);
        """;

    // Who acknowledged a burn-rate alert's firing and when (nanoseconds since the Unix epoch), as on SQLite; NULL while
    // nobody has, and in rows written before.
    private const string V7 = """
        ALTER TABLE budget_alerts
            ADD COLUMN acknowledged_at bigint NULL,
            ADD COLUMN acknowledged_by text   NULL;
        """;

    // One row per firing of a burn-rate alert, as on SQLite (see ReadModels/MonitorRowsSql.cs): keyed by (monitor, name,
    // started at), stopped_at NULL while it fires, burn rates and the factor as invariant decimal text.
    private const string V6 = """
        CREATE TABLE budget_alerts
        (
            alert_id        text COLLATE "C" NOT NULL PRIMARY KEY,
            monitor_id      text COLLATE "C" NOT NULL,
            customer_id     text COLLATE "C" NOT NULL,
            component       text    NOT NULL,
            name            text    NOT NULL,
            severity        integer NOT NULL,
            factor          text    NOT NULL,
            long_window     bigint  NOT NULL,
            short_window    bigint  NOT NULL,
            long_burn_rate  text    NOT NULL,
            short_burn_rate text    NOT NULL,
            started_at      bigint  NOT NULL,
            stopped_at      bigint  NULL,
            version         bigint  NOT NULL
        );

        CREATE INDEX ix_budget_alerts_customer ON budget_alerts (customer_id, started_at, alert_id);
        CREATE INDEX ix_budget_alerts_start ON budget_alerts (started_at, alert_id);
        """;

    // The monitor read models (see ReadModels/MonitorRowsSql.cs), as on SQLite: instants in nanoseconds since the Unix
    // epoch, durations in nanoseconds, enums as integers. Every row but a check result carries the version of the
    // monitor grain's state it was made from and is replaced only by a higher one; a check result is inserted once.
    // Ids, customers and regions are COLLATE "C" as in V3, so lists order by code point as on SQLite. A check
    // result's key leads with (monitor, at), so one monitor's results newest first are a walk of the key; the indexes
    // on at and bucket_start are what a retention pass walks. Incidents are read newest first (the indexes backwards).
    private const string V5 = """
        CREATE TABLE monitors
        (
            monitor_id     text COLLATE "C" NOT NULL PRIMARY KEY,
            customer_id    text COLLATE "C" NOT NULL,
            component      text    NOT NULL,
            is_critical    boolean NOT NULL,
            kind           text    NOT NULL,
            is_down        boolean NOT NULL,
            last_result_at bigint  NULL,
            version        bigint  NOT NULL
        );

        CREATE INDEX ix_monitors_customer ON monitors (customer_id, monitor_id);

        CREATE TABLE check_results
        (
            monitor_id    text COLLATE "C" NOT NULL,
            at            bigint  NOT NULL,
            region        text COLLATE "C" NOT NULL,
            customer_id   text COLLATE "C" NOT NULL,
            is_down       boolean NOT NULL,
            response_time bigint  NULL,
            CONSTRAINT pk_check_results PRIMARY KEY (monitor_id, at, region)
        );

        CREATE INDEX ix_check_results_at ON check_results (at);

        CREATE TABLE check_rollups
        (
            monitor_id    text COLLATE "C" NOT NULL,
            granularity   integer NOT NULL,
            bucket_start  bigint  NOT NULL,
            customer_id   text COLLATE "C" NOT NULL,
            up_time       bigint  NOT NULL,
            down_time     bigint  NOT NULL,
            unknown_time  bigint  NOT NULL,
            checks        integer NOT NULL,
            failed_checks integer NOT NULL,
            response_p50  bigint  NULL,
            response_p95  bigint  NULL,
            response_max  bigint  NULL,
            version       bigint  NOT NULL,
            CONSTRAINT pk_check_rollups PRIMARY KEY (monitor_id, granularity, bucket_start)
        );

        CREATE INDEX ix_check_rollups_bucket ON check_rollups (bucket_start);

        CREATE TABLE incidents
        (
            incident_id text COLLATE "C" NOT NULL PRIMARY KEY,
            monitor_id  text COLLATE "C" NOT NULL,
            customer_id text COLLATE "C" NOT NULL,
            component   text    NOT NULL,
            start_at    bigint  NOT NULL,
            end_at      bigint  NULL,
            opened_at   bigint  NOT NULL,
            resolved_at bigint  NULL,
            postmortem  text    NULL,
            root_cause  integer NULL,
            resolution  text    NULL,
            version     bigint  NOT NULL
        );

        CREATE INDEX ix_incidents_customer ON incidents (customer_id, start_at, incident_id);
        CREATE INDEX ix_incidents_start ON incidents (start_at, incident_id);

        CREATE TABLE maintenance
        (
            maintenance_id text COLLATE "C" NOT NULL PRIMARY KEY,
            monitor_id     text COLLATE "C" NOT NULL,
            customer_id    text COLLATE "C" NOT NULL,
            component      text    NOT NULL,
            start_at       bigint  NOT NULL,
            end_at         bigint  NOT NULL,
            announced_at   bigint  NOT NULL,
            description    text    NOT NULL,
            cancelled      boolean NOT NULL,
            version        bigint  NOT NULL
        );

        CREATE INDEX ix_maintenance_customer ON maintenance (customer_id, end_at);

        -- The board's filters from the index: a customer's tickets in deadline order carry status, priority, team and
        -- assignee, so counting or filtering a customer's open tickets can be an index-only scan.
        DROP INDEX ix_tickets_customer;
        CREATE INDEX ix_tickets_customer ON tickets (customer_id, deadline_key, created_at, ticket_id) INCLUDE (status, priority, team, assignee);
        """;

    // The escalation read model (see ReadModels/EscalationRowsSql.cs), as on SQLite: one row per escalation, instants
    // in nanoseconds since the Unix epoch, actions joined with line feeds, the acknowledgement NULL until given. Ids
    // and customers are COLLATE "C" as in V3, so the inbox's keyset comparison (raised_at, escalation_id) matches its
    // indexes and ids order by code point. The indexes hold the inbox order (newest first) under each filter a page is
    // asked with; the partial ones keep "not yet acknowledged" from stepping over the acknowledged rows.
    private const string V4 = """
        CREATE TABLE escalations
        (
            escalation_id   text COLLATE "C" NOT NULL PRIMARY KEY,
            customer_id     text COLLATE "C" NOT NULL,
            ticket_id       text COLLATE "C" NOT NULL,
            metric          integer NOT NULL,
            percent         integer NOT NULL,
            cycle           integer NOT NULL,
            priority        integer NOT NULL,
            team            text    NULL,
            assignee        text    NULL,
            due_at          bigint  NOT NULL,
            recorded_at     bigint  NOT NULL,
            raised_at       bigint  NOT NULL,
            actions         text    NOT NULL,
            acknowledged_by text    NULL,
            acknowledged_at bigint  NULL,
            version         bigint  NOT NULL
        );

        CREATE INDEX ix_escalations_raised ON escalations (raised_at DESC, escalation_id DESC);
        CREATE INDEX ix_escalations_customer ON escalations (customer_id, raised_at DESC, escalation_id DESC);
        CREATE INDEX ix_escalations_ticket ON escalations (ticket_id, raised_at DESC, escalation_id DESC);
        CREATE INDEX ix_escalations_unacknowledged ON escalations (raised_at DESC, escalation_id DESC) WHERE acknowledged_by IS NULL;
        CREATE INDEX ix_escalations_unacknowledged_customer ON escalations (customer_id, raised_at DESC, escalation_id DESC) WHERE acknowledged_by IS NULL;
        """;

    // The ticket read models (see ReadModels/TicketRowsSql.cs): instants are nanoseconds since the Unix epoch and
    // durations nanoseconds, as on SQLite. Text columns that are sorted, compared or searched are COLLATE "C", so
    // ids order by code point (as SQLite's BINARY does), keyset comparisons match the indexes whatever the database's
    // default collation, and lower() folds ASCII letters only, as SQLite's does. deadline_key is next_deadline or the
    // largest bigint when nothing is pending, so tickets without a deadline sort last in every index.
    private const string V3 = """
        CREATE TABLE tickets
        (
            ticket_id        text COLLATE "C" NOT NULL PRIMARY KEY,
            customer_id      text COLLATE "C" NOT NULL,
            subject          text COLLATE "C" NOT NULL,
            requester        text    NOT NULL,
            priority         integer NOT NULL,
            status           integer NOT NULL,
            team             text COLLATE "C" NULL,
            assignee         text COLLATE "C" NULL,
            escalated        boolean NOT NULL,
            created_at       bigint  NOT NULL,
            resolved_at      bigint  NULL,
            closed_at        bigint  NULL,
            as_of            bigint  NOT NULL,
            version          bigint  NOT NULL,
            next_deadline    bigint  NULL,
            deadline_key     bigint  NOT NULL,
            fr_state         integer NULL,
            fr_cycle         integer NULL,
            fr_target        bigint  NULL,
            fr_elapsed       bigint  NULL,
            fr_remaining     bigint  NULL,
            fr_breach_at     bigint  NULL,
            fr_next_at       bigint  NULL,
            fr_next_percent  integer NULL,
            fr_at_risk_at    bigint  NULL,
            res_state        integer NULL,
            res_cycle        integer NULL,
            res_target       bigint  NULL,
            res_elapsed      bigint  NULL,
            res_remaining    bigint  NULL,
            res_breach_at    bigint  NULL,
            res_next_at      bigint  NULL,
            res_next_percent integer NULL,
            res_at_risk_at   bigint  NULL,
            nr_state         integer NULL,
            nr_cycle         integer NULL,
            nr_target        bigint  NULL,
            nr_elapsed       bigint  NULL,
            nr_remaining     bigint  NULL,
            nr_breach_at     bigint  NULL,
            nr_next_at       bigint  NULL,
            nr_next_percent  integer NULL,
            nr_at_risk_at    bigint  NULL
        );

        -- The list order under each filter a page is asked with, so a page reads its rows in order and stops.
        CREATE INDEX ix_tickets_customer ON tickets (customer_id, deadline_key, created_at, ticket_id);
        CREATE INDEX ix_tickets_deadline ON tickets (deadline_key, created_at, ticket_id);
        CREATE INDEX ix_tickets_assignee ON tickets (assignee, deadline_key, created_at, ticket_id) WHERE assignee IS NOT NULL;
        CREATE INDEX ix_tickets_team ON tickets (team, deadline_key, created_at, ticket_id) WHERE team IS NOT NULL;
        -- Reports and aggregates: a customer's tickets created in a period.
        CREATE INDEX ix_tickets_customer_created ON tickets (customer_id, created_at);

        -- A ticket's audit trail, entry by entry: inserted once, never changed.
        CREATE TABLE clock_transitions
        (
            ticket_id   text COLLATE "C" NOT NULL,
            sequence    integer NOT NULL,
            customer_id text COLLATE "C" NOT NULL,
            at          bigint  NOT NULL,
            kind        text    NOT NULL,
            metric      integer NULL,
            threshold   integer NULL,
            description text    NOT NULL,
            recorded_at bigint  NOT NULL,
            caused_by   text    NULL,
            CONSTRAINT pk_clock_transitions PRIMARY KEY (ticket_id, sequence)
        );
        """;

    // Every web host of a cluster must read and write the same key ring, or a cookie or anti-forgery token issued by
    // one silo is refused by the next. Rows are only ever added (a revocation is a new element), as with the
    // framework's file and EF Core repositories.
    private const string V2 = """
        CREATE TABLE slagrains_dataprotection_key
        (
            Id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            FriendlyName text        NULL,
            Xml          text        NOT NULL,
            CreatedOn    timestamptz NOT NULL DEFAULT now()
        );
        """;

    private const string V1 = """
        CREATE TABLE OrleansQuery
        (
            QueryKey  varchar(64) NOT NULL PRIMARY KEY,
            QueryText text        NOT NULL
        );

        -- Grain state. A row is identified by its full key; the hashes Orleans computes are kept for diagnostics
        -- only, so two ids whose hashes collide (or a changed hasher) can never mix states up.
        -- ExtensionKey encodes the nullable key extension unambiguously (null -> '', value -> '#' || value) so that
        -- it can be part of the primary key on every PostgreSQL version.
        CREATE TABLE slagrains_grain_state
        (
            ServiceId              text    NOT NULL,
            GrainTypeString        text    NOT NULL,
            GrainIdN0              bigint  NOT NULL,
            GrainIdN1              bigint  NOT NULL,
            GrainIdExtensionString text    NULL,
            ExtensionKey           text    GENERATED ALWAYS AS (COALESCE('#' || GrainIdExtensionString, '')) STORED,
            GrainIdHash            integer NOT NULL,
            GrainTypeHash          integer NOT NULL,
            PayloadBinary          bytea   NULL,
            Version                integer NOT NULL,
            ModifiedOn             timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_slagrains_grain_state
                PRIMARY KEY (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, ExtensionKey)
        );

        -- Reminders: one row per (service, grain, reminder name); GrainHash is the grain's uniform hash stored as
        -- a signed integer, which is how Orleans binds it and how it compares hash ranges.
        CREATE TABLE slagrains_reminder
        (
            ServiceId    text        NOT NULL,
            GrainId      text        NOT NULL,
            ReminderName text        NOT NULL,
            StartTime    timestamptz NOT NULL,
            Period       bigint      NOT NULL,
            GrainHash    integer     NOT NULL,
            Version      integer     NOT NULL,
            CONSTRAINT pk_slagrains_reminder PRIMARY KEY (ServiceId, GrainId, ReminderName)
        );

        CREATE INDEX ix_slagrains_reminder_hash ON slagrains_reminder (ServiceId, GrainHash);

        -- Cluster membership: one version row per deployment (cluster id), whose Version is the table's etag,
        -- and one row per silo incarnation.
        CREATE TABLE slagrains_membership_version
        (
            DeploymentId text        NOT NULL PRIMARY KEY,
            Timestamp    timestamptz NOT NULL DEFAULT now(),
            Version      integer     NOT NULL DEFAULT 0
        );

        CREATE TABLE slagrains_membership
        (
            DeploymentId text        NOT NULL REFERENCES slagrains_membership_version (DeploymentId),
            Address      text        NOT NULL,
            Port         integer     NOT NULL,
            Generation   integer     NOT NULL,
            SiloName     text        NOT NULL,
            HostName     text        NOT NULL,
            Status       integer     NOT NULL,
            ProxyPort    integer     NULL,
            SuspectTimes text        NULL,
            StartTime    timestamptz NOT NULL,
            IAmAliveTime timestamptz NOT NULL,
            CONSTRAINT pk_slagrains_membership PRIMARY KEY (DeploymentId, Address, Port, Generation)
        );

        -- Inserting a silo row and bumping the table version happen together or not at all. The version row is
        -- locked first, so concurrent membership writers of one deployment are serialised.
        CREATE FUNCTION slagrains_membership_insert(
            p_deployment_id text, p_address text, p_port integer, p_generation integer,
            p_silo_name text, p_host_name text, p_status integer, p_proxy_port integer,
            p_start_time timestamptz, p_i_am_alive_time timestamptz, p_version integer)
        RETURNS boolean
        LANGUAGE plpgsql AS
        $$
        DECLARE
            current_version integer;
        BEGIN
            SELECT Version INTO current_version
            FROM slagrains_membership_version
            WHERE DeploymentId = p_deployment_id
            FOR UPDATE;

            IF current_version IS DISTINCT FROM p_version THEN
                RETURN false;
            END IF;

            INSERT INTO slagrains_membership
                (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
            VALUES
                (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port,
                 p_start_time, p_i_am_alive_time)
            ON CONFLICT ON CONSTRAINT pk_slagrains_membership DO NOTHING;

            IF NOT FOUND THEN
                RETURN false;
            END IF;

            UPDATE slagrains_membership_version
            SET Version = Version + 1, Timestamp = now()
            WHERE DeploymentId = p_deployment_id;

            RETURN true;
        END;
        $$;

        CREATE FUNCTION slagrains_membership_update(
            p_deployment_id text, p_address text, p_port integer, p_generation integer,
            p_status integer, p_suspect_times text, p_i_am_alive_time timestamptz, p_version integer)
        RETURNS boolean
        LANGUAGE plpgsql AS
        $$
        DECLARE
            current_version integer;
        BEGIN
            SELECT Version INTO current_version
            FROM slagrains_membership_version
            WHERE DeploymentId = p_deployment_id
            FOR UPDATE;

            IF current_version IS DISTINCT FROM p_version THEN
                RETURN false;
            END IF;

            UPDATE slagrains_membership
            SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = p_i_am_alive_time
            WHERE DeploymentId = p_deployment_id AND Address = p_address AND Port = p_port AND Generation = p_generation;

            IF NOT FOUND THEN
                RETURN false;
            END IF;

            UPDATE slagrains_membership_version
            SET Version = Version + 1, Timestamp = now()
            WHERE DeploymentId = p_deployment_id;

            RETURN true;
        END;
        $$;

        INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

        -- Persistence (Orleans.Persistence.AdoNet). A write returns exactly one row: the new version, or NULL when
        -- the etag did not match (Orleans turns NULL into an InconsistentStateException). A NULL etag means
        -- "this grain has never been written": insert, or fail if a row exists.
        ('ReadFromStorageKey', $q$
        SELECT PayloadBinary, Version
        FROM slagrains_grain_state
        WHERE ServiceId = @ServiceId
          AND GrainTypeString = @GrainTypeString
          AND GrainIdN0 = @GrainIdN0
          AND GrainIdN1 = @GrainIdN1
          AND ExtensionKey = COALESCE('#' || @GrainIdExtensionString, '')
        $q$),

        ('WriteToStorageKey', $q$
        WITH inserted AS (
            INSERT INTO slagrains_grain_state
                (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, GrainIdHash, GrainTypeHash,
                 PayloadBinary, Version)
            SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @GrainIdHash,
                   @GrainTypeHash, @PayloadBinary, 1
            WHERE @GrainStateVersion IS NULL
            ON CONFLICT ON CONSTRAINT pk_slagrains_grain_state DO NOTHING
            RETURNING Version),
        updated AS (
            UPDATE slagrains_grain_state
            SET PayloadBinary = @PayloadBinary, Version = Version + 1, GrainIdHash = @GrainIdHash,
                GrainTypeHash = @GrainTypeHash, ModifiedOn = now()
            WHERE @GrainStateVersion IS NOT NULL
              AND ServiceId = @ServiceId
              AND GrainTypeString = @GrainTypeString
              AND GrainIdN0 = @GrainIdN0
              AND GrainIdN1 = @GrainIdN1
              AND ExtensionKey = COALESCE('#' || @GrainIdExtensionString, '')
              AND Version = @GrainStateVersion
            RETURNING Version)
        SELECT COALESCE((SELECT Version FROM inserted), (SELECT Version FROM updated)) AS NewGrainStateVersion
        $q$),

        -- Clearing keeps the row (payload NULL) and moves the version on, so an etag from before the clear is stale.
        ('ClearStorageKey', $q$
        WITH cleared AS (
            UPDATE slagrains_grain_state
            SET PayloadBinary = NULL, Version = Version + 1, ModifiedOn = now()
            WHERE ServiceId = @ServiceId
              AND GrainTypeString = @GrainTypeString
              AND GrainIdN0 = @GrainIdN0
              AND GrainIdN1 = @GrainIdN1
              AND ExtensionKey = COALESCE('#' || @GrainIdExtensionString, '')
              AND Version = @GrainStateVersion
            RETURNING Version)
        SELECT (SELECT Version FROM cleared) AS Version
        $q$),

        -- Reminders (Orleans.Reminders.AdoNet). Range reads: Orleans picks ReadRangeRows1Key when
        -- (int)BeginHash < (int)EndHash (a range that does not wrap in signed order), ReadRangeRows2Key otherwise.
        ('ReadReminderRowsKey', $q$
        SELECT GrainId, ReminderName, StartTime, Period, Version
        FROM slagrains_reminder
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId
        $q$),

        ('ReadReminderRowKey', $q$
        SELECT GrainId, ReminderName, StartTime, Period, Version
        FROM slagrains_reminder
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
        $q$),

        ('ReadRangeRows1Key', $q$
        SELECT GrainId, ReminderName, StartTime, Period, Version
        FROM slagrains_reminder
        WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash
        $q$),

        ('ReadRangeRows2Key', $q$
        SELECT GrainId, ReminderName, StartTime, Period, Version
        FROM slagrains_reminder
        WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
        $q$),

        ('UpsertReminderRowKey', $q$
        INSERT INTO slagrains_reminder AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
        VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
        ON CONFLICT ON CONSTRAINT pk_slagrains_reminder DO UPDATE
        SET StartTime = EXCLUDED.StartTime, Period = EXCLUDED.Period, GrainHash = EXCLUDED.GrainHash,
            Version = r.Version + 1
        RETURNING Version
        $q$),

        ('DeleteReminderRowKey', $q$
        WITH deleted AS (
            DELETE FROM slagrains_reminder
            WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
              AND Version = @Version
            RETURNING 1)
        SELECT EXISTS (SELECT 1 FROM deleted)
        $q$),

        ('DeleteReminderRowsKey', $q$
        DELETE FROM slagrains_reminder WHERE ServiceId = @ServiceId
        $q$),

        -- Membership (Orleans.Clustering.AdoNet). Reads return the version row even when no silo row matches
        -- (a NULL StartTime tells Orleans "no member"), with the table version on every row.
        ('InsertMembershipVersionKey', $q$
        WITH inserted AS (
            INSERT INTO slagrains_membership_version (DeploymentId) VALUES (@DeploymentId)
            ON CONFLICT (DeploymentId) DO NOTHING
            RETURNING 1)
        SELECT EXISTS (SELECT 1 FROM inserted)
        $q$),

        ('InsertMembershipKey', $q$
        SELECT slagrains_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                           @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)
        $q$),

        ('UpdateMembershipKey', $q$
        SELECT slagrains_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
                                           @IAmAliveTime, @Version)
        $q$),

        ('UpdateIAmAlivetimeKey', $q$
        UPDATE slagrains_membership
        SET IAmAliveTime = @IAmAliveTime
        WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
        $q$),

        ('MembershipReadRowKey', $q$
        SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
               m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
        FROM slagrains_membership_version v
        LEFT JOIN slagrains_membership m
               ON m.DeploymentId = v.DeploymentId
              AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
        WHERE v.DeploymentId = @DeploymentId
        $q$),

        ('MembershipReadAllKey', $q$
        SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
               m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
        FROM slagrains_membership_version v
        LEFT JOIN slagrains_membership m ON m.DeploymentId = v.DeploymentId
        WHERE v.DeploymentId = @DeploymentId
        $q$),

        ('DeleteMembershipTableEntriesKey', $q$
        DELETE FROM slagrains_membership WHERE DeploymentId = @DeploymentId;
        DELETE FROM slagrains_membership_version WHERE DeploymentId = @DeploymentId;
        $q$),

        ('GatewaysQueryKey', $q$
        SELECT Address, ProxyPort, Generation
        FROM slagrains_membership
        WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
        $q$),

        -- Defunct silo rows: only dead silos (Status 6) whose last sign of life precedes the cutoff are removed.
        -- Orleans 10.4.2 uses CleanupDefunctSiloEntryKey when it exists: it picks the dead rows itself and deletes
        -- each one only if the row still holds exactly the values it read. CleanupDefunctSiloEntriesKey is the
        -- required fallback with the cutoff alone.
        ('CleanupDefunctSiloEntriesKey', $q$
        DELETE FROM slagrains_membership
        WHERE DeploymentId = @DeploymentId AND Status = 6
          AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
        $q$),

        ('CleanupDefunctSiloEntryKey', $q$
        DELETE FROM slagrains_membership
        WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
          AND Status = 6
          AND StartTime = @StartTime AND IAmAliveTime = @IAmAliveTime
          AND SuspectTimes IS NOT DISTINCT FROM @SuspectTimes
        $q$);
        """;
}

/// <summary>One schema migration: its version, what it does, and its SQL.</summary>
/// <param name="Version">The schema version this migration brings the database to (1, 2, …).</param>
/// <param name="Description">A one-line summary recorded with the version.</param>
/// <param name="Sql">The statements, run in one transaction.</param>
internal sealed record PostgresMigration(int Version, string Description, string Sql);
