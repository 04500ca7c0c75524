using BenchmarkDotNet.Attributes;
using NodaTime;
using SlaGrains.Domain.Calendars;

namespace SlaGrains.Bench.Domain;

/// <summary>
/// <see cref="BusinessCalendar"/> arithmetic over one year: Berlin, lunch-break weekdays, ten holidays, both DST
/// changes inside the span. Both ends fall inside an open interval, so the clipped days are real work.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory(DomainGoals.CalendarYear)]
public class BusinessCalendarBenchmarks
{
    private BusinessCalendar _calendar = null!;
    private Instant _start;
    private Instant _end;
    private Duration _oneYearOfBusinessTime;

    [GlobalSetup]
    public void Setup()
    {
        _calendar = DomainFixtures.Calendar;
        _start = DomainFixtures.Berlin(2025, 3, 3, 10, 30); // a Monday morning
        _end = DomainFixtures.Berlin(2026, 3, 3, 14, 15); // a Tuesday afternoon, a year later
        _oneYearOfBusinessTime = _calendar.Between(_start, _end);

        // Add must walk the same year back to the same instant, or the two benchmarks measure different work.
        var due = _calendar.Add(_start, _oneYearOfBusinessTime);
        if (due != _end)
        {
            throw new InvalidOperationException($"Add({_start}, {_oneYearOfBusinessTime}) is {due}, expected {_end}.");
        }
    }

    /// <summary>The instant a year of business time from <c>start</c> is used up.</summary>
    [Benchmark]
    public Instant AddOneYear() => _calendar.Add(_start, _oneYearOfBusinessTime);

    /// <summary>The business time in the one-year span.</summary>
    [Benchmark]
    public Duration BetweenOneYear() => _calendar.Between(_start, _end);
}
