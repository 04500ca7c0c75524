using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Interval = NodaTime.Interval;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Monitors;

namespace SlaGrains.Domain.Tests.Monitors;

public class MonitorRulesPropertyTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 11, 2, 10, 0);

    /// <summary>A stream of commands: results (a minute offset and up/down) in batches, and silences checked by deadlines.</summary>
    private static Gen<List<(int[] Minutes, bool[] Up, int CheckAt)>> Steps =>
        from length in Gen.Choose(1, 12)
        from steps in Gen.ArrayOf(
            from count in Gen.Choose(1, 5)
            from minutes in Gen.ArrayOf(Gen.Choose(0, 600), count)
            from up in Gen.ArrayOf(Gen.Elements(true, false), count)
            from checkAt in Gen.Choose(0, 120)
            select (minutes, up, checkAt),
            length)
        select steps.ToList();

    private static MonitorRules Run(List<(int[] Minutes, bool[] Up, int CheckAt)> steps, int failures)
    {
        var state = MonitorRules.Decide(null, new ConfigureMonitor("m", new MonitorPolicy(failures, 99.9m, Duration.FromHours(24), [], null, Duration.FromMinutes(10))), T0).State!;
        var now = T0;
        foreach (var (minutes, up, checkAt) in steps)
        {
            now = Instant.Max(now, T0 + Duration.FromMinutes(minutes.Max()));
            var results = minutes.Zip(up, (m, u) => new CheckResult(T0 + Duration.FromMinutes(m), u ? CheckOutcome.Up : CheckOutcome.Down)).ToArray();
            state = MonitorRules.Decide(state, new RecordResults([.. results]), now).State!;
            now += Duration.FromMinutes(checkAt);
            state = MonitorRules.Decide(state, new CheckDeadlines(), now).State!;
        }

        return state;
    }

    [Property(MaxTest = 300)]
    public Property Unknown_time_is_never_counted_as_up_or_down()
    {
        var cases = from steps in Steps from failures in Gen.Choose(1, 3) select (steps, failures);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var state = Run(c.steps, c.failures);
            var unknown = state.UnknownTime();
            var down = state.DownIntervals();
            var overlapsDown = unknown.Any(u => down.Any(d => Overlaps(u, d)));
            // Unknown time is never a counted outage, and while unknown the monitor is not reported up.
            var reportedUp = state.UnknownSince is not null && state.Health == ComponentHealth.Up;
            return (!overlapsDown && !reportedUp).Label($"unknown {string.Join(", ", unknown)} down {string.Join(", ", down)} health {state.Health}");
        });
    }

    [Property(MaxTest = 300)]
    public Property Every_incident_is_opened_between_its_first_failure_and_its_recorded_resolution()
    {
        var cases = from steps in Steps from failures in Gen.Choose(1, 3) select (steps, failures);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var state = Run(c.steps, c.failures);
            // (A late success may end an outage before the result that had confirmed it: the end moves, the opening stays.)
            return state.Incidents.All(i => i.OpenedAt >= i.Start && (i.ResolvedAt is not { } resolved || i.OpenedAt <= resolved))
                .Label(string.Join("; ", state.Incidents));
        });
    }

    [Property(MaxTest = 300)]
    public Property Deciding_again_with_nothing_new_decides_nothing()
    {
        var cases = from steps in Steps from failures in Gen.Choose(1, 3) select (steps, failures);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var state = Run(c.steps, c.failures);
            var now = T0 + Duration.FromDays(1);
            var settled = MonitorRules.Decide(state, new CheckDeadlines(), now).State!;
            var again = MonitorRules.Decide(settled, new CheckDeadlines(), now);
            return (again.Events.Count == 0).Label(string.Join(", ", again.Events));
        });
    }

    private static bool Overlaps(Interval a, Interval b)
        => (!a.HasEnd || !b.HasStart || a.End > b.Start) && (!b.HasEnd || !a.HasStart || b.End > a.Start);
}
