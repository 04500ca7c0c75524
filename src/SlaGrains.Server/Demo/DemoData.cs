using System.Collections.Immutable;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Escalations;
using SlaGrains.Contracts.Monitors;
using SlaGrains.Domain.Calendars;
using SlaGrains.Domain.Credits;
using SlaGrains.Domain.Tickets;
using static SlaGrains.Server.Demo.DemoStep;

namespace SlaGrains.Server.Demo;

/// <summary>
/// The demo MSP's book: three customers on three continents (Berlin, New York, Sydney) on the Gold, Silver and Bronze
/// tiers, their monitors with a few months of incidents, 50 tickets in every state, and one user per role.
/// </summary>
internal static class DemoData
{
    public const string ServiceDesk = "service-desk";
    public const string Infrastructure = "infrastructure";
    public const string Spreeland = "spreeland-logistik";
    public const string Hudson = "hudson-pryce";
    public const string Coastline = "coastline-physio";

    private const string Manager = "morgan.lee";
    private const string Sam = "sam.okafor";
    private const string Lena = "lena.fischer";

    /// <summary>Gold: 24×7 for P1/P2, business hours for P3/P4; P1 warns at 50, 75 and 90 %, the others at 75 %.</summary>
    public static SlaPolicy Gold { get; } = new("Gold", new Dictionary<TicketPriority, PriorityTargets>
    {
        [TicketPriority.P1] = new(Minutes(15), Hours(4), Minutes(30), CoverageHours.AroundTheClock, new WarningThresholds([50, 75, 90])),
        [TicketPriority.P2] = new(Minutes(30), Hours(8), Hours(1), CoverageHours.AroundTheClock),
        [TicketPriority.P3] = new(Hours(2), Hours(16), Hours(4)),
        [TicketPriority.P4] = new(Hours(8), Hours(40), Hours(8)),
    });

    /// <summary>Silver: 24×7 for P1 only.</summary>
    public static SlaPolicy Silver { get; } = new("Silver", new Dictionary<TicketPriority, PriorityTargets>
    {
        [TicketPriority.P1] = new(Minutes(30), Hours(8), Hours(1), CoverageHours.AroundTheClock),
        [TicketPriority.P2] = new(Hours(1), Hours(16), Hours(2)),
        [TicketPriority.P3] = new(Hours(4), Hours(24), Hours(8)),
        [TicketPriority.P4] = new(Hours(8), Hours(60), Hours(16)),
    });

    /// <summary>Bronze: business hours only; no next-reply target for P4.</summary>
    public static SlaPolicy Bronze { get; } = new("Bronze", new Dictionary<TicketPriority, PriorityTargets>
    {
        [TicketPriority.P1] = new(Hours(1), Hours(8), Hours(2)),
        [TicketPriority.P2] = new(Hours(4), Hours(24), Hours(4)),
        [TicketPriority.P3] = new(Hours(8), Hours(40), Hours(8)),
        [TicketPriority.P4] = new(Hours(16), Hours(80)),
    });

    public static ImmutableArray<DemoCustomer> Customers { get; } =
    [
        new(
            Spreeland,
            "Spreeland Logistik GmbH",
            "Europe/Berlin",
            WeeklySchedule.Weekdays("07:00", "19:00").Open(IsoDayOfWeek.Saturday, "08:00", "13:00"),
            PublicHolidays.Berlin,
            year => [(new LocalDate(year, 12, 24), "09:00", "12:00"), (new LocalDate(year, 12, 31), "09:00", "12:00")],
            Gold,
            ImmutableDictionary<TicketPriority, PriorityTargets>.Empty,
            // A 99.95 % SLA needs a schedule whose first band starts at 99.95 % (the default one starts at 99.9 %).
            new DemoContract(99.95m, 21_500m, "EUR", new CreditSchedule([new CreditTier(99.5m, 99.95m, 10m), new CreditTier(99.0m, 99.5m, 25m), new CreditTier(0m, 99.0m, 50m)]), 72),
            [
                new(
                    "spreeland-wms",
                    "Warehouse management system",
                    Critical: true,
                    Duration.FromMinutes(5),
                    ["eu-central", "eu-west", "us-east"],
                    [
                        DemoOutage.InMonth(3, 9, "03:20", 35, region: "eu-west"),
                        DemoOutage.InMonth(2, 14, "02:10", 47, postmortem: "WMS database failover after a storage latency spike").Reviewed(IncidentRootCause.Infrastructure, "Storage latency forced a database failover; the array firmware was patched and the replica promoted."),
                        DemoOutage.InMonth(1, 21, "15:05", 20, region: "eu-central"),
                    ],
                    [new(Upcoming: false, new LocalTime(22, 0), Duration.FromHours(4), "WMS database minor version upgrade (rolling; no downtime expected)")]),
                new(
                    "spreeland-edi",
                    "EDI gateway (carrier messages)",
                    Critical: true,
                    Duration.FromMinutes(5),
                    [],
                    [DemoOutage.InMonth(3, 22, "13:40", 10).Reviewed(IncidentRootCause.ThirdPartyDependency, "A carrier's AS2 endpoint refused connections; queued messages were re-sent once it recovered."), DemoOutage.InMonth(1, 6, "09:15", 15).Reviewed(IncidentRootCause.Deploy, "A gateway release with a broken TLS configuration was rolled back.")],
                    []),
                new(
                    "spreeland-vpn",
                    "Site-to-site VPN, Hamburg depot",
                    Critical: false,
                    Duration.FromMinutes(10),
                    [],
                    [
                        DemoOutage.InMonth(3, 3, "06:20", 30).Reviewed(IncidentRootCause.ThirdPartyDependency, "The depot's ISP line dropped; the provider restored it."),
                        DemoOutage.InMonth(2, 18, "16:00", 40).Reviewed(IncidentRootCause.Infrastructure, "The depot firewall rebooted after a power cut; its UPS battery was replaced."),
                        DemoOutage.InMonth(1, 27, "11:30", 20).Reviewed(IncidentRootCause.Deploy, "A firewall firmware update restarted the tunnel; updates now run in maintenance windows."),
                        DemoOutage.Recent(Duration.FromDays(3), 30).Reviewed(IncidentRootCause.Other, "The tunnel failed to renegotiate after a key lifetime mismatch; the lifetimes were aligned."),
                    ],
                    []),
            ],
            Rules(extra: new EscalationRule("p1-first-response-warning-reassign", SlaMetric.FirstResponse, 75, EscalationActionKind.Reassign, $"team:{Infrastructure}", TicketPriority.P1))),
        new(
            Hudson,
            "Hudson & Pryce LLP",
            "America/New_York",
            WeeklySchedule.Weekdays("08:00", "20:00"),
            PublicHolidays.UnitedStates,
            year => [(new LocalDate(year, 12, 24), "08:00", "13:00"), (new LocalDate(year, 12, 31), "08:00", "13:00")],
            Silver,
            // Bespoke: court filing deadlines make P2 a 24×7 matter for the firm.
            ImmutableDictionary<TicketPriority, PriorityTargets>.Empty.Add(TicketPriority.P2, new(Minutes(30), Hours(8), Hours(1), CoverageHours.AroundTheClock)),
            new DemoContract(99.9m, 14_800m, "USD", null, null),
            [
                new(
                    "hudson-dms",
                    "Document management system",
                    Critical: true,
                    Duration.FromMinutes(5),
                    [],
                    [
                        DemoOutage.InMonth(3, 11, "10:05", 20).Reviewed(IncidentRootCause.CodeDefect, "A search indexer leak exhausted the application server's memory; fixed by the vendor's hotfix."),
                        DemoOutage.InMonth(1, 16, "14:30", 55, postmortem: "Document management outage: storage controller failover").Reviewed(IncidentRootCause.Infrastructure, "A storage controller failed over; the faulty controller was replaced."),
                        DemoOutage.Recent(Duration.FromDays(2) + Duration.FromHours(5), 10).Reviewed(IncidentRootCause.Deploy, "A load balancer configuration change was rolled back."),
                    ],
                    [new(Upcoming: true, new LocalTime(21, 0), Duration.FromHours(3), "Storage firmware upgrade; documents read-only")]),
                new(
                    "hudson-mail",
                    "Email gateway",
                    Critical: true,
                    Duration.FromMinutes(5),
                    [],
                    [DemoOutage.InMonth(2, 8, "07:45", 25).Reviewed(IncidentRootCause.ThirdPartyDependency, "The upstream mail filtering service was unreachable; mail flowed again when it recovered.")],
                    []),
                new(
                    "hudson-rdgw",
                    "Remote desktop gateway",
                    Critical: false,
                    Duration.FromMinutes(10),
                    [],
                    [DemoOutage.InMonth(3, 25, "18:00", 30).Reviewed(IncidentRootCause.Infrastructure, "The gateway VM ran out of disk; log rotation was fixed and the disk extended."), DemoOutage.InMonth(2, 19, "09:10", 20).Reviewed(IncidentRootCause.CodeDefect, "A session broker bug dropped connections at logon peaks; patched."), DemoOutage.InMonth(1, 2, "22:00", 60).Reviewed(IncidentRootCause.Deploy, "A certificate renewal was deployed with the wrong chain; the full chain was installed.")],
                    []),
            ],
            Rules(extra: null)),
        new(
            Coastline,
            "Coastline Physio Clinics Pty Ltd",
            "Australia/Sydney",
            WeeklySchedule.Weekdays("08:00", "18:00").Open(IsoDayOfWeek.Saturday, "08:00", "12:00"),
            PublicHolidays.NewSouthWales,
            year => [(new LocalDate(year, 12, 24), "08:00", "12:00"), (new LocalDate(year, 12, 31), "08:00", "12:00")],
            Bronze,
            ImmutableDictionary<TicketPriority, PriorityTargets>.Empty,
            new DemoContract(99.5m, 6_900m, "AUD", new CreditSchedule([new CreditTier(99.0m, 99.5m, 10m), new CreditTier(95.0m, 99.0m, 25m), new CreditTier(0m, 95.0m, 50m)]), null),
            [
                new(
                    "coastline-booking",
                    "Patient booking portal",
                    Critical: true,
                    Duration.FromMinutes(5),
                    [],
                    [DemoOutage.InMonth(3, 5, "08:50", 60, postmortem: "Booking portal unreachable: NBN outage at the primary site").Reviewed(IncidentRootCause.ThirdPartyDependency, "NBN outage at the primary site; traffic now fails over to the 4G backup link."), DemoOutage.InMonth(2, 20, "19:30", 35).Reviewed(IncidentRootCause.CodeDefect, "A booking query without an index timed out under load; the index was added.")],
                    []),
                new(
                    "coastline-pms",
                    "Practice management system",
                    Critical: true,
                    Duration.FromMinutes(5),
                    [],
                    [DemoOutage.InMonth(1, 12, "12:15", 25).Reviewed(IncidentRootCause.Deploy, "A practice management update needed a schema migration that ran in business hours; rolled forward.")],
                    []),
                new(
                    "coastline-backup",
                    "Offsite backup",
                    Critical: false,
                    Duration.FromMinutes(10),
                    [],
                    // An outage still going on: the backup is not critical, so Coastline shows as degraded.
                    [DemoOutage.InMonth(1, 3, "02:00", 40).Reviewed(IncidentRootCause.Infrastructure, "The backup appliance lost its uplink during a switch replacement."), DemoOutage.Recent(Duration.FromMinutes(35), null)],
                    []),
            ],
            Rules(extra: null)),
    ];

    public static ImmutableArray<DemoUser> Users { get; } =
    [
        new(Manager, "morgan-demo-pass", UserRole.Manager, null, null),
        new(Sam, "sam-demo-pass", UserRole.Technician, null, ServiceDesk),
        new(Lena, "lena-demo-pass", UserRole.Technician, null, Infrastructure),
        new("markus.becker", "markus-demo-pass", UserRole.Customer, Spreeland, null),
        new("rachel.alvarez", "rachel-demo-pass", UserRole.Customer, Hudson, null),
        new("olivia.nguyen", "olivia-demo-pass", UserRole.Customer, Coastline, null),
    ];

    public static ImmutableArray<DemoTicket> Tickets { get; } =
    [
        // Spreeland Logistik (Berlin, Gold): 19 tickets.
        new("SPR-4101", Spreeland, TicketPriority.P1, "EDI orders from the freight carrier not arriving since 06:00", "m.becker@spreeland-logistik.example", null, null, [], DemoPace.BreachedAtStart(SlaMetric.FirstResponse)),
        new("SPR-4102", Spreeland, TicketPriority.P1, "Hand scanners in hall 3 cannot reach the WMS", "j.wolff@spreeland-logistik.example", null, null, [], DemoPace.Live(SlaMetric.FirstResponse, Duration.FromSeconds(40))),
        new("SPR-4103", Spreeland, TicketPriority.P2, "Label printer at dock 7 prints blank labels", "s.krause@spreeland-logistik.example", ServiceDesk, null, [], DemoPace.Live(SlaMetric.FirstResponse, Duration.FromSeconds(60))),
        new("SPR-4104", Spreeland, TicketPriority.P4, "Power BI licence for the new financial controller", "a.neumann@spreeland-logistik.example", null, null, []),
        new("SPR-4105", Spreeland, TicketPriority.P1, "WMS pick lists take 30 seconds to load", "j.wolff@spreeland-logistik.example", Infrastructure, Lena, [AgentReply, Start], DemoPace.Live(SlaMetric.Resolution, Duration.FromMinutes(5))),
        new("SPR-4106", Spreeland, TicketPriority.P2, "VPN to the Hamburg depot drops every few minutes", "t.schulz@spreeland-logistik.example", Infrastructure, Lena, [Acknowledge]),
        new("SPR-4107", Spreeland, TicketPriority.P3, "Outlook keeps asking for a password (shared mailbox dispatch@)", "s.krause@spreeland-logistik.example", ServiceDesk, Sam, [Acknowledge]),
        new("SPR-4108", Spreeland, TicketPriority.P2, "Forklift terminal firmware rollout failed on 4 of 22 devices", "t.schulz@spreeland-logistik.example", Infrastructure, Lena, [AgentReply, Start]),
        new("SPR-4109", Spreeland, TicketPriority.P3, "Meeting room 2.14 has no audio in Teams calls", "a.neumann@spreeland-logistik.example", ServiceDesk, Sam, [AgentReply, Start, CustomerReply]),
        new("SPR-4110", Spreeland, TicketPriority.P3, "New starter on Monday: laptop, accounts and WMS user", "hr@spreeland-logistik.example", ServiceDesk, Sam, [AgentReply, WaitOnCustomer]),
        new("SPR-4111", Spreeland, TicketPriority.P4, "Shared drive folder for the annual audit", "a.neumann@spreeland-logistik.example", ServiceDesk, null, [AgentReply, WaitOnCustomer]),
        new("SPR-4112", Spreeland, TicketPriority.P3, "EDI certificate renewal with the freight carrier", "m.becker@spreeland-logistik.example", Infrastructure, Lena, [AgentReply, Hold]),
        new("SPR-4113", Spreeland, TicketPriority.P2, "Replacement switch for hall 2 (vendor RMA)", "t.schulz@spreeland-logistik.example", Infrastructure, Lena, [AgentReply, Start, Hold]),
        new("SPR-4114", Spreeland, TicketPriority.P3, "Customs declaration add-in crashes Excel", "c.hoffmann@spreeland-logistik.example", ServiceDesk, Sam, [AgentReply, Resolve], DemoPace.BreachedAtStart(SlaMetric.FirstResponse)),
        new("SPR-4115", Spreeland, TicketPriority.P3, "Password reset for the night shift lead", "j.wolff@spreeland-logistik.example", ServiceDesk, Sam, [AgentReply, Resolve]),
        new("SPR-4116", Spreeland, TicketPriority.P4, "Add a new carrier to the EDI partner list", "m.becker@spreeland-logistik.example", Infrastructure, Lena, [AgentReply, Start, Resolve]),
        new("SPR-4117", Spreeland, TicketPriority.P2, "Dock door sensors offline after a power cut", "t.schulz@spreeland-logistik.example", Infrastructure, Lena, [AgentReply, Start, Resolve, Close]),
        new("SPR-4118", Spreeland, TicketPriority.P3, "Mailbox full: accounting@", "c.hoffmann@spreeland-logistik.example", ServiceDesk, Sam, [AgentReply, Resolve, Close]),
        new("SPR-4119", Spreeland, TicketPriority.P4, "Monitor arm for the reception desk", "hr@spreeland-logistik.example", ServiceDesk, Sam, [Resolve, Close]),

        // Hudson & Pryce (New York, Silver with a bespoke 24×7 P2): 17 tickets.
        new("HP-7201", Hudson, TicketPriority.P2, "Court e-filing portal rejects PDF uploads", "r.alvarez@hudsonpryce.example", ServiceDesk, null, [], DemoPace.Live(SlaMetric.FirstResponse, Duration.FromMinutes(3))),
        new("HP-7202", Hudson, TicketPriority.P3, "Laptop for the associate starting Monday", "hr@hudsonpryce.example", null, null, []),
        new("HP-7203", Hudson, TicketPriority.P2, "Dictation software not syncing to the DMS", "d.kim@hudsonpryce.example", ServiceDesk, Sam, [Acknowledge], DemoPace.Live(SlaMetric.FirstResponse, Duration.FromMinutes(2))),
        new("HP-7204", Hudson, TicketPriority.P3, "Scanner on the 12th floor files into the wrong folder", "p.shah@hudsonpryce.example", ServiceDesk, null, [Acknowledge]),
        new("HP-7205", Hudson, TicketPriority.P4, "Add a partner to the conflicts-check distribution list", "r.alvarez@hudsonpryce.example", ServiceDesk, Sam, [Acknowledge]),
        new("HP-7206", Hudson, TicketPriority.P2, "Remote desktop slow for everyone working from home", "d.kim@hudsonpryce.example", Infrastructure, Lena, [AgentReply, Start], DemoPace.BreachedAtStart(SlaMetric.FirstResponse)),
        new("HP-7207", Hudson, TicketPriority.P1, "Document management search returns no results", "r.alvarez@hudsonpryce.example", Infrastructure, Lena, [AgentReply, Start]),
        new("HP-7208", Hudson, TicketPriority.P3, "Nightly billing export to accounting fails", "accounts@hudsonpryce.example", Infrastructure, Lena, [Acknowledge, Escalate, AgentReply, Start]),
        new("HP-7209", Hudson, TicketPriority.P3, "Calendar delegation for a partner's assistant", "p.shah@hudsonpryce.example", ServiceDesk, Sam, [AgentReply, Resolve, Reopen, Start]),
        new("HP-7210", Hudson, TicketPriority.P3, "MFA prompt at every sign-in for the litigation team", "d.kim@hudsonpryce.example", ServiceDesk, Sam, [AgentReply, WaitOnCustomer]),
        new("HP-7211", Hudson, TicketPriority.P4, "Second monitor for a paralegal", "p.shah@hudsonpryce.example", ServiceDesk, null, [AgentReply, WaitOnCustomer]),
        new("HP-7212", Hudson, TicketPriority.P3, "Encrypted USB drives for the trial team", "r.alvarez@hudsonpryce.example", Infrastructure, Lena, [AgentReply, Hold]),
        new("HP-7213", Hudson, TicketPriority.P3, "Toner order for the 14th floor printers", "p.shah@hudsonpryce.example", ServiceDesk, Sam, [AgentReply, Resolve]),
        new("HP-7214", Hudson, TicketPriority.P2, "VPN certificate expired for two partners", "r.alvarez@hudsonpryce.example", Infrastructure, Lena, [AgentReply, Start, Resolve]),
        new("HP-7215", Hudson, TicketPriority.P4, "Rename the tax practice distribution list", "accounts@hudsonpryce.example", ServiceDesk, null, [AgentReply, Resolve]),
        new("HP-7216", Hudson, TicketPriority.P3, "Shared calendar not visible on phones", "d.kim@hudsonpryce.example", ServiceDesk, Sam, [AgentReply, Resolve, Close]),
        new("HP-7217", Hudson, TicketPriority.P2, "Mail to opposing counsel bounces (TLS required)", "r.alvarez@hudsonpryce.example", Infrastructure, Lena, [AgentReply, Start, Resolve, Close]),

        // Coastline Physio (Sydney, Bronze): 14 tickets.
        new("CPC-3301", Coastline, TicketPriority.P4, "Add the new receptionist to the booking system", "o.nguyen@coastlinephysio.example", null, null, []),
        new("CPC-3302", Coastline, TicketPriority.P3, "Card terminal at the Manly clinic offline", "l.martin@coastlinephysio.example", ServiceDesk, Sam, [Acknowledge]),
        new("CPC-3303", Coastline, TicketPriority.P2, "Practice software slow at the Bondi clinic", "o.nguyen@coastlinephysio.example", Infrastructure, Lena, [Acknowledge]),
        new("CPC-3304", Coastline, TicketPriority.P3, "Booking confirmation emails land in spam", "o.nguyen@coastlinephysio.example", ServiceDesk, Sam, [AgentReply, Start, CustomerReply], DemoPace.Live(SlaMetric.NextReply, Duration.FromSeconds(90))),
        new("CPC-3305", Coastline, TicketPriority.P2, "Offsite backup job failing since last night", "o.nguyen@coastlinephysio.example", Infrastructure, Lena, [AgentReply, Start]),
        new("CPC-3306", Coastline, TicketPriority.P3, "Patients cannot sign in to the exercise app", "b.taylor@coastlinephysio.example", ServiceDesk, Sam, [AgentReply, Start]),
        new("CPC-3307", Coastline, TicketPriority.P3, "New clinic in Cronulla: network and phones", "o.nguyen@coastlinephysio.example", Infrastructure, Lena, [AgentReply, WaitOnCustomer]),
        new("CPC-3308", Coastline, TicketPriority.P2, "Laptop stolen from a car: wipe and replace", "l.martin@coastlinephysio.example", ServiceDesk, Sam, [AgentReply, WaitOnCustomer]),
        new("CPC-3309", Coastline, TicketPriority.P2, "Telehealth video calls drop after 10 minutes", "b.taylor@coastlinephysio.example", Infrastructure, Lena, [AgentReply, Hold], DemoPace.BreachedAtStart(SlaMetric.Resolution)),
        new("CPC-3310", Coastline, TicketPriority.P3, "Printer at the Manly clinic keeps jamming", "l.martin@coastlinephysio.example", ServiceDesk, null, [AgentReply, Resolve]),
        new("CPC-3311", Coastline, TicketPriority.P4, "Email signature with the new logo", "o.nguyen@coastlinephysio.example", ServiceDesk, Sam, [Resolve]),
        new("CPC-3312", Coastline, TicketPriority.P3, "PIN reset for the practice manager's phone", "o.nguyen@coastlinephysio.example", ServiceDesk, Sam, [AgentReply, Resolve, Close]),
        new("CPC-3313", Coastline, TicketPriority.P4, "Remove a former physiotherapist's accounts", "l.martin@coastlinephysio.example", ServiceDesk, Sam, [AgentReply, Resolve, Close]),
        new("CPC-3314", Coastline, TicketPriority.P3, "Change the guest Wi-Fi password", "b.taylor@coastlinephysio.example", Infrastructure, null, [Resolve, Close]),
    ];

    /// <summary>
    /// The escalation rules every customer gets: tell the managers at 75 % of the first response or resolution
    /// target, escalate to management at the breach, tell them when a next reply is late; plus <paramref name="extra"/>.
    /// </summary>
    private static ImmutableArray<EscalationRule> Rules(EscalationRule? extra)
    {
        ImmutableArray<EscalationRule> rules =
        [
            new("first-response-warning", SlaMetric.FirstResponse, 75, EscalationActionKind.Notify, "role:manager"),
            new("resolution-warning", SlaMetric.Resolution, 75, EscalationActionKind.Notify, "role:manager"),
            new("first-response-breach", SlaMetric.FirstResponse, 100, EscalationActionKind.EscalateToManagement, "manager"),
            new("resolution-breach", SlaMetric.Resolution, 100, EscalationActionKind.EscalateToManagement, "manager"),
            new("next-reply-breach", SlaMetric.NextReply, 100, EscalationActionKind.Notify, "role:manager"),
        ];
        return extra is null ? rules : rules.Add(extra);
    }

    private static Duration Minutes(int minutes) => Duration.FromMinutes(minutes);

    private static Duration Hours(int hours) => Duration.FromHours(hours);
}
