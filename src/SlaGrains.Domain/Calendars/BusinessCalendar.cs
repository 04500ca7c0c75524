using System.Collections.Immutable;
using NodaTime;
using NodaTime.TimeZones;

namespace SlaGrains.Domain.Calendars;

/// <summary>
/// When a service desk is open, in one IANA time zone, and how much open ("business") time lies
/// between two instants. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para>Conventions, which every operation follows:</para>
/// <list type="bullet">
/// <item>Open intervals are half-open <c>[start, end)</c> in local wall-clock time: open at 09:00, closed at 17:00.</item>
/// <item>A holiday closes its whole local date in the calendar's zone; a <see cref="SpecialHours"/>
/// override replaces the weekly hours of its date. A date cannot be both.</item>
/// <item>Business time is <em>real elapsed time</em> inside open intervals: a 00:00–24:00 day on a fall-back
/// Sunday holds 25 hours, on a spring-forward Sunday 23 hours.</item>
/// <item>Local times are mapped to instants with NodaTime's lenient resolver: a local time skipped by a DST
/// gap shifts forward by the gap's length, an ambiguous local time takes the earlier offset.</item>
/// <item>A duration used up exactly at a closing time is due <em>at that closing time</em> ("due Fri 17:00",
/// not "Mon 09:00"), and <c>Add(t, 0)</c> is <see cref="NextOpen(Instant)"/>.</item>
/// </list>
/// <para>Cost grows with the days spanned, never with the minutes: operations walk intervals, and whole
/// weeks are summed arithmetically (weekly hours, plus holiday and override corrections found by binary
/// search, plus DST corrections for the few transition days), so a year-long span costs microseconds.</para>
/// <para>Instants must lie within about ±292 years of 1970 (the span of a 64-bit nanosecond count).</para>
/// </remarks>
public sealed partial class BusinessCalendar : IEquatable<BusinessCalendar>
{
    private const long NanosPerDay = NodaConstants.NanosecondsPerDay;
    private const int UnixEpochDayNumber = 719_162; // DateOnly(1970, 1, 1).DayNumber

    private readonly bool _alwaysOpen;
    private readonly long[][] _weekdayStarts = new long[7][];
    private readonly long[][] _weekdayEnds = new long[7][];
    private readonly long[] _weekdayNominal = new long[7];
    private readonly long _weekNominal;
    private readonly long[] _exceptionDays;
    private readonly long[][] _exceptionStarts;
    private readonly long[][] _exceptionEnds;
    private readonly long[] _exceptionCorrectionPrefix;
    private readonly int _maxIntervalsPerDay;

    /// <summary>
    /// Creates a calendar in <paramref name="zone"/> with the given weekly hours, closed
    /// <paramref name="holidays"/> and <paramref name="specialHours"/> overrides.
    /// </summary>
    /// <exception cref="ArgumentException">When a date is listed twice or is both a holiday and an override.</exception>
    public BusinessCalendar(
        DateTimeZone zone,
        WeeklySchedule schedule,
        IEnumerable<LocalDate>? holidays = null,
        IEnumerable<SpecialHours>? specialHours = null)
        : this(zone, schedule, holidays, specialHours, alwaysOpen: false)
    {
    }

    private BusinessCalendar(
        DateTimeZone zone,
        WeeklySchedule schedule,
        IEnumerable<LocalDate>? holidays,
        IEnumerable<SpecialHours>? specialHours,
        bool alwaysOpen)
    {
        Zone = Guard.NotNull(zone, nameof(zone));
        Schedule = Guard.NotNull(schedule, nameof(schedule));
        _alwaysOpen = alwaysOpen;

        var holidaySet = ImmutableSortedSet.CreateBuilder<LocalDate>();
        foreach (var holiday in holidays ?? [])
        {
            if (!holidaySet.Add(holiday))
            {
                throw new ArgumentException($"Holiday {holiday:uuuu-MM-dd} is listed twice.", nameof(holidays));
            }
        }

        Holidays = holidaySet.ToImmutable();
        var overrides = (specialHours ?? []).OrderBy(s => s.Date).ToImmutableArray();
        for (var i = 0; i < overrides.Length; i++)
        {
            if (i > 0 && overrides[i].Date == overrides[i - 1].Date)
            {
                throw new ArgumentException($"Special hours for {overrides[i].Date:uuuu-MM-dd} are given twice.", nameof(specialHours));
            }

            if (Holidays.Contains(overrides[i].Date))
            {
                throw new ArgumentException(
                    $"{overrides[i].Date:uuuu-MM-dd} is both a holiday and a special-hours date; keep one.", nameof(specialHours));
            }
        }

        SpecialHours = overrides;

        for (var day = 0; day < 7; day++)
        {
            var hours = schedule.On((IsoDayOfWeek)(day + 1));
            _weekdayStarts[day] = hours.Select(h => h.StartNanosecondOfDay).ToArray();
            _weekdayEnds[day] = hours.Select(h => h.EndNanosecondOfDay).ToArray();
            _weekdayNominal[day] = Nominal(_weekdayStarts[day], _weekdayEnds[day]);
            _weekNominal += _weekdayNominal[day];
            _maxIntervalsPerDay = Math.Max(_maxIntervalsPerDay, hours.Length);
        }

        // Holidays and overrides, merged into one sorted table of exception days. The prefix sums of
        // (exception hours − the weekday's usual hours) let a span of days be summed in O(log n).
        var exceptions = Holidays.Select(d => (Day: EpochDay(d), Starts: Array.Empty<long>(), Ends: Array.Empty<long>()))
            .Concat(overrides.Select(s => (
                Day: EpochDay(s.Date),
                Starts: s.Hours.Select(h => h.StartNanosecondOfDay).ToArray(),
                Ends: s.Hours.Select(h => h.EndNanosecondOfDay).ToArray())))
            .OrderBy(e => e.Day)
            .ToArray();
        _exceptionDays = exceptions.Select(e => e.Day).ToArray();
        _exceptionStarts = exceptions.Select(e => e.Starts).ToArray();
        _exceptionEnds = exceptions.Select(e => e.Ends).ToArray();
        _exceptionCorrectionPrefix = new long[exceptions.Length + 1];
        for (var i = 0; i < exceptions.Length; i++)
        {
            var usual = _weekdayNominal[DayOfWeekIndex(exceptions[i].Day)];
            _exceptionCorrectionPrefix[i + 1] = _exceptionCorrectionPrefix[i] + Nominal(exceptions[i].Starts, exceptions[i].Ends) - usual;
            _maxIntervalsPerDay = Math.Max(_maxIntervalsPerDay, exceptions[i].Starts.Length);
        }
    }

    /// <summary>The 24×7 calendar: always open, business time equals elapsed time. Its zone is UTC.</summary>
    public static BusinessCalendar AlwaysOpen { get; } =
        new(DateTimeZone.Utc, WeeklySchedule.AroundTheClock, holidays: null, specialHours: null, alwaysOpen: true);

    /// <summary>The calendar's IANA time zone; weekly hours, holidays and overrides are read in it.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The ordinary weekly opening hours.</summary>
    public WeeklySchedule Schedule { get; }

    /// <summary>Local dates closed all day.</summary>
    public ImmutableSortedSet<LocalDate> Holidays { get; }

    /// <summary>Dates whose hours replace the weekly schedule, sorted by date.</summary>
    public ImmutableArray<SpecialHours> SpecialHours { get; }

    /// <summary>
    /// What people call some of the <see cref="Holidays"/> ("Christmas Day"), for pages and reports; a holiday need not
    /// have one. Names do not change the hours, so they take no part in <see cref="Equals(BusinessCalendar?)"/>.
    /// </summary>
    public ImmutableSortedDictionary<LocalDate, string> HolidayNames { get; private init; } = ImmutableSortedDictionary<LocalDate, string>.Empty;

    /// <summary>Longest holiday name, in characters.</summary>
    public const int MaxHolidayNameLength = 100;

    /// <summary>
    /// The same calendar with <paramref name="names"/> for its holidays (blank names are left out; a name is trimmed).
    /// </summary>
    /// <exception cref="ArgumentException">When a named date is not a holiday of this calendar or a name is longer than <see cref="MaxHolidayNameLength"/>.</exception>
    public BusinessCalendar WithHolidayNames(IEnumerable<KeyValuePair<LocalDate, string>>? names)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<LocalDate, string>();
        foreach (var (date, name) in names ?? [])
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                continue;
            }

            if (!Holidays.Contains(date))
            {
                throw new ArgumentException($"{date:uuuu-MM-dd} has a name but is not a holiday; list it as a holiday or drop the name.", nameof(names));
            }

            if (name.Trim().Length > MaxHolidayNameLength)
            {
                throw new ArgumentException($"The name of {date:uuuu-MM-dd} is longer than {MaxHolidayNameLength} characters.", nameof(names));
            }

            builder[date] = name.Trim();
        }

        if (builder.Count == 0 && HolidayNames.Count == 0)
        {
            return this;
        }

        return new BusinessCalendar(Zone, Schedule, Holidays, SpecialHours, _alwaysOpen) { HolidayNames = builder.ToImmutable() };
    }

    /// <summary>True for <see cref="AlwaysOpen"/>.</summary>
    public bool IsAlwaysOpen => _alwaysOpen;

    /// <summary>
    /// Creates a calendar from an IANA zone id (for example <c>Europe/Berlin</c>).
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="timeZoneId"/> is not a known IANA zone.</exception>
    public static BusinessCalendar Create(
        string timeZoneId,
        WeeklySchedule schedule,
        IEnumerable<LocalDate>? holidays = null,
        IEnumerable<SpecialHours>? specialHours = null)
        => new(ResolveZone(timeZoneId), schedule, holidays, specialHours);

    /// <summary>Looks up an IANA zone, rejecting unknown ids with a message that says what is expected.</summary>
    /// <exception cref="ArgumentException">When the id is empty or unknown.</exception>
    public static DateTimeZone ResolveZone(string timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            throw new ArgumentException("A time zone is required: an IANA id such as Europe/Berlin.", nameof(timeZoneId));
        }

        return DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId.Trim())
            ?? throw new ArgumentException($"Unknown time zone '{timeZoneId}': use an IANA id such as America/New_York or Europe/Berlin.", nameof(timeZoneId));
    }

    /// <summary>
    /// Calendars are equal when they define the same hours: same zone id, weekly schedule, holidays and
    /// special hours (a calendar rebuilt from its stored definition equals the original). Holiday names are not hours:
    /// renaming a holiday moves no deadline.
    /// </summary>
    public bool Equals(BusinessCalendar? other)
        => other is not null
            && (ReferenceEquals(this, other)
                || (_alwaysOpen == other._alwaysOpen
                    && Zone.Id == other.Zone.Id
                    && Schedule.Equals(other.Schedule)
                    && Holidays.SequenceEqual(other.Holidays)
                    && SpecialHours.SequenceEqual(other.SpecialHours)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as BusinessCalendar);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Zone.Id, Schedule, Holidays.Count, SpecialHours.Length, _alwaysOpen);

    /// <summary>For example <c>America/New_York: Mon 09:00–17:00; …, 1 holiday</c>.</summary>
    public override string ToString()
        => _alwaysOpen ? "24×7" : $"{Zone.Id}: {Schedule}{(Holidays.Count > 0 ? $", {Holidays.Count} holidays" : string.Empty)}{(SpecialHours.Length > 0 ? $", {SpecialHours.Length} special-hours dates" : string.Empty)}";

    /// <summary>True when the calendar is open at <paramref name="instant"/> (inside some <c>[start, end)</c>).</summary>
    public bool IsOpen(Instant instant)
    {
        if (_alwaysOpen)
        {
            return true;
        }

        var t = ToNanos(instant);
        var day = LocalDay(t);
        Span<long> hours = stackalloc long[Math.Max(2, _maxIntervalsPerDay * 2)];
        ZoneInterval? cursor = null;
        for (var d = day - 1; d <= day + 1; d++)
        {
            var count = OpenHours(d, hours, ref cursor);
            for (var i = 0; i < count; i++)
            {
                if (hours[2 * i] <= t && t < hours[(2 * i) + 1])
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The earliest instant at or after <paramref name="instant"/> at which the calendar is open —
    /// <paramref name="instant"/> itself when open — or null when it never opens again.
    /// </summary>
    public Instant? NextOpen(Instant instant)
    {
        if (_alwaysOpen)
        {
            return instant;
        }

        var t = ToNanos(instant);
        var day = LocalDay(t) - 1;
        Span<long> hours = stackalloc long[Math.Max(2, _maxIntervalsPerDay * 2)];
        ZoneInterval? cursor = null;
        while (true)
        {
            if (!SkipToOpenableDay(ref day))
            {
                return null;
            }

            var count = OpenHours(day, hours, ref cursor);
            for (var i = 0; i < count; i++)
            {
                var (start, end) = (hours[2 * i], hours[(2 * i) + 1]);
                if (end > t && end > start)
                {
                    return FromNanos(Math.Max(start, t));
                }
            }

            day++;
        }
    }

    /// <summary>
    /// The earliest instant at or after <paramref name="instant"/> at which the calendar is closed —
    /// <paramref name="instant"/> itself when closed — or null when it never closes (24×7). Open intervals
    /// that touch across midnight (Fri 22:00–24:00, Sat 00:00–06:00) are one stretch: it closes Sat 06:00.
    /// </summary>
    public Instant? NextClose(Instant instant)
    {
        if (_alwaysOpen)
        {
            return null;
        }

        var t = ToNanos(instant);
        var day = LocalDay(t) - 1;
        var lastExceptionDay = _exceptionDays.Length == 0 ? long.MinValue : _exceptionDays[^1];
        var openAllWeek = _weekNominal == 7 * NanosPerDay;
        Span<long> hours = stackalloc long[Math.Max(2, _maxIntervalsPerDay * 2)];
        ZoneInterval? cursor = null;
        long? closing = null;
        for (var walked = 0; ; walked++, day++)
        {
            if (closing is not null && openAllWeek)
            {
                // Open around the clock except on exception days: only those can close it.
                if (day > lastExceptionDay)
                {
                    return null;
                }

                var next = NextExceptionIndex(day);
                if (_exceptionDays[next] > day + 1)
                {
                    day = _exceptionDays[next] - 1;
                    cursor = null;
                    closing = ToNanos(FirstInstantOfDay(day));
                }
            }

            var count = OpenHours(day, hours, ref cursor);
            for (var i = 0; i < count; i++)
            {
                var (start, end) = (hours[2 * i], hours[(2 * i) + 1]);
                if (end <= start || end <= t)
                {
                    continue;
                }

                if (closing is null)
                {
                    if (start > t)
                    {
                        return instant;
                    }

                    closing = end;
                }
                else if (start == closing)
                {
                    closing = end;
                }
                else
                {
                    return FromNanos(closing.Value);
                }
            }

            if (closing is null && walked >= 2)
            {
                return instant;
            }

            if (closing is not null && count == 0)
            {
                return FromNanos(closing.Value);
            }
        }
    }

    /// <summary>
    /// Business time in <c>[from, to)</c>: the real time elapsed inside open intervals.
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="to"/> is before <paramref name="from"/>.</exception>
    public Duration Between(Instant from, Instant to)
    {
        if (to < from)
        {
            throw new ArgumentException($"Business time between {from} and {to}: the end is before the start.", nameof(to));
        }

        return _alwaysOpen ? to - from : Duration.FromNanoseconds(BetweenNanos(ToNanos(from), ToNanos(to)));
    }

    /// <summary>
    /// The instant at which <paramref name="businessDuration"/> of business time, counted from
    /// <paramref name="start"/>, is used up. A duration used up exactly at a closing time is due at that
    /// closing time; a zero duration is due at <see cref="NextOpen(Instant)"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When the duration is negative.</exception>
    /// <exception cref="InvalidOperationException">When the calendar never opens long enough again.</exception>
    public Instant Add(Instant start, Duration businessDuration)
        => TryAdd(start, businessDuration, out var due)
            ? due
            : throw new InvalidOperationException($"The calendar never accumulates {businessDuration} of business time after {start}: it has no opening hours left.");

    /// <summary>As <see cref="Add(Instant, Duration)"/>; false when the calendar never opens long enough again.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the duration is negative.</exception>
    public bool TryAdd(Instant start, Duration businessDuration, out Instant due)
    {
        if (businessDuration < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(businessDuration), businessDuration, "A business duration to add must not be negative.");
        }

        if (_alwaysOpen)
        {
            due = start + businessDuration;
            return true;
        }

        if (businessDuration == Duration.Zero)
        {
            var open = NextOpen(start);
            due = open.GetValueOrDefault();
            return open.HasValue;
        }

        var dueNanos = AddNanos(ToNanos(start), businessDuration.ToInt64Nanoseconds(), long.MaxValue);
        due = dueNanos is { } n ? FromNanos(n) : default;
        return dueNanos.HasValue;
    }

    /// <summary>
    /// As <see cref="TryAdd(Instant, Duration, out Instant)"/>, searching no further than <paramref name="limit"/>: false
    /// when the duration is not used up by then (or never). The search costs what the days up to the due time (at most
    /// the limit) cost, however sparse the calendar.
    /// </summary>
    private bool TryAddWithin(Instant start, Duration businessDuration, Instant limit, out Instant due)
    {
        if (_alwaysOpen || businessDuration == Duration.Zero)
        {
            return TryAdd(start, businessDuration, out due) && due <= limit;
        }

        var dueNanos = start > limit ? null : AddNanos(ToNanos(start), businessDuration.ToInt64Nanoseconds(), ToNanos(limit));
        due = dueNanos is { } n ? FromNanos(n) : default;
        return dueNanos.HasValue;
    }

    private long BetweenNanos(long from, long to)
    {
        var first = LocalDay(from);
        var last = LocalDay(to);
        Span<long> hours = stackalloc long[Math.Max(2, _maxIntervalsPerDay * 2)];
        ZoneInterval? cursor = null;
        if (last - first <= 4)
        {
            return Overlap(first - 1, last + 1, from, to, hours, ref cursor);
        }

        // The days around each end are clipped exactly; the days between lie wholly inside [from, to).
        var head = Overlap(first - 1, first + 1, from, to, hours, ref cursor);
        cursor = null;
        var tail = Overlap(last - 1, last + 1, from, to, hours, ref cursor);
        return head + WholeDays(first + 2, last - 1) + tail;
    }

    private long Overlap(long firstDay, long lastDay, long from, long to, Span<long> hours, ref ZoneInterval? cursor)
    {
        long total = 0;
        for (var day = firstDay; day <= lastDay; day++)
        {
            var count = OpenHours(day, hours, ref cursor);
            for (var i = 0; i < count; i++)
            {
                var start = Math.Max(hours[2 * i], from);
                var end = Math.Min(hours[(2 * i) + 1], to);
                if (end > start)
                {
                    total += end - start;
                }
            }
        }

        return total;
    }

    /// <summary>The due instant, or null when it is never due or later than <paramref name="limit"/>.</summary>
    private long? AddNanos(long start, long remaining, long limit)
    {
        // The first local day all of whose instants lie after the limit (offsets are under a day).
        var pastLimit = limit == long.MaxValue ? long.MaxValue : FloorDiv(limit, NanosPerDay) + 2;
        var startDay = LocalDay(start);
        var day = startDay - 1;
        Span<long> hours = stackalloc long[Math.Max(2, _maxIntervalsPerDay * 2)];
        ZoneInterval? cursor = null;

        // The first days are clipped at the start; later days are whole.
        for (; day <= startDay + 1; day++)
        {
            var count = OpenHours(day, hours, ref cursor);
            for (var i = 0; i < count; i++)
            {
                var open = Math.Max(hours[2 * i], start);
                var length = hours[(2 * i) + 1] - open;
                if (length <= 0)
                {
                    continue;
                }

                if (remaining <= length)
                {
                    return Within(open + remaining, limit);
                }

                remaining -= length;
            }
        }

        var noSkipBefore = long.MinValue;
        while (true)
        {
            if (day >= pastLimit)
            {
                return null;
            }

            if (_weekNominal > 0 && remaining > 2 * _weekNominal && day >= noSkipBefore)
            {
                // Jump whole weeks while they surely end before the due time; holidays and DST make a
                // week shorter or longer than nominal, which is why the exact sum is checked. Never past the
                // limit: a sparse calendar's due time may lie centuries ahead, beyond what is worth summing.
                var weeks = Math.Min((remaining / _weekNominal) - 1, pastLimit == long.MaxValue ? long.MaxValue : Math.Max(1, (pastLimit - day) / 7));
                var skipped = false;
                for (; weeks >= 1; weeks /= 2)
                {
                    var sum = WholeDays(day, day + (7 * weeks));
                    if (sum < remaining)
                    {
                        remaining -= sum;
                        day += 7 * weeks;
                        cursor = null;
                        skipped = true;
                        break;
                    }
                }

                if (!skipped)
                {
                    noSkipBefore = day + 7;
                }

                continue;
            }

            if (!SkipToOpenableDay(ref day) || day >= pastLimit)
            {
                return null;
            }

            var count = OpenHours(day, hours, ref cursor);
            for (var i = 0; i < count; i++)
            {
                var length = hours[(2 * i) + 1] - hours[2 * i];
                if (remaining <= length)
                {
                    return Within(hours[2 * i] + remaining, limit);
                }

                remaining -= length;
            }

            day++;
        }
    }

    private static long? Within(long due, long limit) => due <= limit ? due : null;

    /// <summary>Business time of the whole local days <c>[firstDay, endDay)</c>, in nanoseconds.</summary>
    private long WholeDays(long firstDay, long endDay)
    {
        if (endDay <= firstDay)
        {
            return 0;
        }

        var days = endDay - firstDay;
        var total = (days / 7) * _weekNominal;
        for (var d = firstDay + (days / 7 * 7); d < endDay; d++)
        {
            total += _weekdayNominal[DayOfWeekIndex(d)];
        }

        total += _exceptionCorrectionPrefix[NextExceptionIndex(endDay)] - _exceptionCorrectionPrefix[NextExceptionIndex(firstDay)];
        return total + DaylightSavingCorrection(firstDay, endDay);
    }

    /// <summary>
    /// Real minus nominal open time on the days of <c>[firstDay, endDay)</c> touched by an offset change.
    /// Only days near a transition can differ, and a zone has a few transitions a year.
    /// </summary>
    private long DaylightSavingCorrection(long firstDay, long endDay)
    {
        long correction = 0;
        var searchEnd = FromNanos((endDay + 2) * NanosPerDay);
        var zoneInterval = Zone.GetZoneInterval(FromNanos((firstDay - 2) * NanosPerDay));
        var lastCorrected = long.MinValue;
        while (zoneInterval.HasEnd && zoneInterval.End < searchEnd)
        {
            var transition = ToNanos(zoneInterval.End);
            var next = Zone.GetZoneInterval(zoneInterval.End);
            var before = FloorDiv(transition + zoneInterval.WallOffset.Nanoseconds, NanosPerDay);
            var after = FloorDiv(transition + next.WallOffset.Nanoseconds, NanosPerDay);
            for (var d = Math.Max(Math.Min(before, after) - 1, Math.Max(firstDay, lastCorrected + 1)); d <= Math.Max(before, after) + 1 && d < endDay; d++)
            {
                var (starts, ends) = LocalHours(d);
                for (var i = 0; i < starts.Length; i++)
                {
                    correction += MapExact(d, ends[i]) - MapExact(d, starts[i]) - (ends[i] - starts[i]);
                }

                lastCorrected = d;
            }

            zoneInterval = next;
        }

        return correction;
    }

    /// <summary>
    /// Writes the open intervals of local day <paramref name="day"/> as instant pairs into
    /// <paramref name="hours"/>; returns how many. Days well inside one zone interval map with one offset;
    /// days near a transition are resolved leniently, time by time.
    /// </summary>
    private int OpenHours(long day, Span<long> hours, ref ZoneInterval? cursor)
    {
        var (starts, ends) = LocalHours(day);
        if (starts.Length == 0)
        {
            return 0;
        }

        if (TryUniformOffset(day, ref cursor, out var offset))
        {
            var midnight = (day * NanosPerDay) - offset;
            for (var i = 0; i < starts.Length; i++)
            {
                hours[2 * i] = midnight + starts[i];
                hours[(2 * i) + 1] = midnight + ends[i];
            }
        }
        else
        {
            for (var i = 0; i < starts.Length; i++)
            {
                hours[2 * i] = MapExact(day, starts[i]);
                hours[(2 * i) + 1] = MapExact(day, ends[i]);
            }
        }

        return starts.Length;
    }

    private bool TryUniformOffset(long day, ref ZoneInterval? cursor, out long offset)
    {
        var localMidnight = day * NanosPerDay;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var zoneInterval = cursor ??= Zone.GetZoneInterval(FromNanos(localMidnight));
            offset = zoneInterval.WallOffset.Nanoseconds;
            var midnight = localMidnight - offset;

            // A day and a margin of a day either side inside one zone interval: every local time of the
            // day maps to exactly one instant with this offset, no gap, no ambiguity.
            var startsBefore = !zoneInterval.HasStart || ToNanos(zoneInterval.Start) <= midnight - NanosPerDay;
            var endsAfter = !zoneInterval.HasEnd || midnight + (2 * NanosPerDay) <= ToNanos(zoneInterval.End);
            if (startsBefore && endsAfter)
            {
                return true;
            }

            cursor = Zone.GetZoneInterval(FromNanos(midnight));
        }

        offset = 0;
        return false;
    }

    private long MapExact(long day, long nanosecondOfDay)
    {
        var local = nanosecondOfDay >= NanosPerDay
            ? LocalDateOf(day + 1).AtMidnight()
            : LocalDateOf(day).AtMidnight().PlusNanoseconds(nanosecondOfDay);
        return ToNanos(Zone.ResolveLocal(local, Resolvers.LenientResolver).ToInstant());
    }

    private Instant FirstInstantOfDay(long day) => FromNanos(MapExact(day, 0));

    private (long[] Starts, long[] Ends) LocalHours(long day)
    {
        var index = Array.BinarySearch(_exceptionDays, day);
        if (index >= 0)
        {
            return (_exceptionStarts[index], _exceptionEnds[index]);
        }

        var weekday = DayOfWeekIndex(day);
        return (_weekdayStarts[weekday], _weekdayEnds[weekday]);
    }

    /// <summary>
    /// When the week has no opening hours, moves <paramref name="day"/> to the next override with hours;
    /// false when there is none. With weekly hours every day is a candidate.
    /// </summary>
    private bool SkipToOpenableDay(ref long day)
    {
        if (_weekNominal > 0)
        {
            return true;
        }

        for (var i = NextExceptionIndex(day); i < _exceptionDays.Length; i++)
        {
            if (_exceptionStarts[i].Length > 0)
            {
                day = _exceptionDays[i];
                return true;
            }
        }

        return false;
    }

    /// <summary>Index of the first exception day at or after <paramref name="day"/>.</summary>
    private int NextExceptionIndex(long day)
    {
        var index = Array.BinarySearch(_exceptionDays, day);
        return index >= 0 ? index : ~index;
    }

    private long LocalDay(long instantNanos)
        => FloorDiv(instantNanos + Zone.GetUtcOffset(FromNanos(instantNanos)).Nanoseconds, NanosPerDay);

    private static long Nominal(long[] starts, long[] ends)
    {
        long total = 0;
        for (var i = 0; i < starts.Length; i++)
        {
            total += ends[i] - starts[i];
        }

        return total;
    }

    private static long EpochDay(LocalDate date) => date.ToDateOnly().DayNumber - UnixEpochDayNumber;

    private static LocalDate LocalDateOf(long epochDay) => LocalDate.FromDateOnly(DateOnly.FromDayNumber(checked((int)(epochDay + UnixEpochDayNumber))));

    /// <summary>0 = Monday … 6 = Sunday; 1970-01-01 was a Thursday.</summary>
    private static int DayOfWeekIndex(long epochDay) => (int)(((epochDay + 3) % 7 + 7) % 7);

    private static long FloorDiv(long value, long divisor)
    {
        var quotient = value / divisor;
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
    }

    private static long ToNanos(Instant instant) => (instant - NodaConstants.UnixEpoch).ToInt64Nanoseconds();

    private static Instant FromNanos(long nanos) => NodaConstants.UnixEpoch.PlusNanoseconds(nanos);
}
