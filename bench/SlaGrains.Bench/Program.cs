using SlaGrains.Bench;
using SlaGrains.Bench.Domain;
using SlaGrains.Bench.Grains;
using SlaGrains.Bench.Live;
using SlaGrains.Bench.Storage;

// dotnet run -c Release --project bench/SlaGrains.Bench -- <suite> [BenchmarkDotNet options]
// The first argument selects a suite; everything after it goes to the suite (BenchmarkDotNet options for `domain`).
// The live scenarios (clocks ... cluster) start real server processes (`src/SlaGrains.Server`, built with the bench in the
// same configuration; `--server-dll PATH` picks another build) on 127.0.0.1 and stop them, and their databases, when done,
// failed or interrupted (Ctrl-C).
Suite[] suites =
[
    new("domain", "SlaGrains.Domain: business calendar, ticket SLA clock, monthly availability.", DomainSuite.Run),
    new("grains", "Ticket grains on one silo: memory per open ticket, deadline lateness, restart catch-up (--tickets N).", GrainsSuite.Run),
    new("storage", "Grain state and reminders on SQLite and PostgreSQL vs plain upserts (--seconds N, --stores sqlite,postgresql).", StorageSuite.Run),
    new("clocks", "Server process: N open tickets through the API; memory per ticket, creation rate (--tickets N --clients K --customers C).", ClocksScenario.Run),
    new("lateness", "Server process: N open clocks, 10 % due within a minute; deadline -> TicketBreached at a manager (--tickets N --clients K).", LatenessScenario.Run),
    new("ingest", "Server process: check results (single, batch) and ticket events through the API vs plain upserts (--seconds N --clients K --batch B --stores sqlite,postgresql).", IngestScenario.Run),
    new("signin", "Server process: wrong sign-ins for existing vs unknown names, and right ones; the timing an enumeration would read (--users N --rounds R).", SignInScenario.Run),
    new("fanout", "Server process: one customer's C live-feed connections; breach -> every connection (--clients C --breaches B --keys N).", FanoutScenario.Run),
    new("recovery", "Server process killed with SIGKILL holding N tickets: restart until deadlines fired and tickets answer (--tickets N --clients K).", RecoveryScenario.Run),
    new("board", "Server process: ticket lists from the read model as one customer grows (or C customers); rates, page latencies, heap per idle ticket vs plain upserts (--checkpoints A,B,C --customers C --per-customer N --clients K --window-seconds S --max-minutes M --stores sqlite,postgresql).", BoardScenario.Run),
    new("tools", "Server process: the worst requests the anonymous what-if tools accept (every bound, 64 KB bodies), median and max (--runs N).", ToolsScenario.Run),
    new("mail", "Server process with an SMTP relay on loopback: breach -> email accepted, p50/p99; N queued emails -> last accepted (--breaches B --emails N).", MailScenario.Run),
    new("subscribers", "Server process with an SMTP relay on loopback: N confirmed status page subscribers, one incident update -> last email accepted (--count N).", SubscribersScenario.Run),
    new("probes", "Server process probing N monitors of mixed kinds on loopback: probe start jitter p50/p99, CPU, memory; breach lateness without and with them (--monitors N --interval S --seconds T --tickets K).", ProbesScenario.Run),
    new("ticket-sync", "Server process: N tickets x 5 events imported through the generic integration endpoint; events/s, read-model lag (--tickets N --batch B --clients K).", TicketSyncScenario.Run),
    new("cluster", "Silos on PostgreSQL: throughput 3 vs 1 silo, failover time when one is killed (--tickets W --clients K --silos S).", ClusterScenario.Run),
];

var suite = args.Length == 0 ? null : suites.FirstOrDefault(s => string.Equals(s.Name, args[0], StringComparison.OrdinalIgnoreCase));
if (suite is null)
{
    if (args.Length > 0)
    {
        Console.Error.WriteLine($"Unknown suite '{args[0]}'.");
    }

    Console.Error.WriteLine("Usage: dotnet run -c Release --project bench/SlaGrains.Bench -- <suite> [BenchmarkDotNet options]");
    Console.Error.WriteLine("Suites:");
    foreach (var s in suites)
    {
        Console.Error.WriteLine($"  {s.Name,-10} {s.Description}");
    }

    Console.Error.WriteLine("Examples: -- domain    -- domain --filter *Calendar*    -- domain --list flat");
    return 2;
}

var rest = args[1..];
var serverDll = Array.IndexOf(rest, "--server-dll");
if (serverDll >= 0 && serverDll + 1 < rest.Length)
{
    ServerProcess.Dll = Path.GetFullPath(rest[serverDll + 1]);
}

return suite.Run(rest);
