using SlaGrains.Bench;
using SlaGrains.Bench.Domain;
using SlaGrains.Bench.Grains;
using SlaGrains.Bench.Storage;

// dotnet run -c Release --project bench/SlaGrains.Bench -- <suite> [BenchmarkDotNet options]
// The first argument selects a suite; everything after it goes to the suite (BenchmarkDotNet options for `domain`).
Suite[] suites =
[
    new("domain", "SlaGrains.Domain: business calendar, ticket SLA clock, monthly availability.", DomainSuite.Run),
    new("grains", "Ticket grains on one silo: memory per open ticket, deadline lateness, restart catch-up (--tickets N).", GrainsSuite.Run),
    new("storage", "Grain state and reminders on SQLite and PostgreSQL vs plain upserts (--seconds N, --stores sqlite,postgresql).", StorageSuite.Run),
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

return suite.Run(args[1..]);
