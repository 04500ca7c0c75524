using NodaTime.Calendars;
using static SlaGrains.Contracts.Tests.Serialization.OrleansRoundTrip;

namespace SlaGrains.Contracts.Tests.Serialization;

public sealed class NodaTimeSurrogateTests
{
    public static TheoryData<Instant> Instants => new()
    {
        Instant.FromUtc(2025, 3, 30, 0, 59, 59) + Duration.FromNanoseconds(123_456_789),
        NodaConstants.UnixEpoch,
        NodaConstants.UnixEpoch - Duration.FromNanoseconds(1),
        Instant.FromUtc(1601, 1, 1, 0, 0) - Duration.FromNanoseconds(7),
        Instant.MinValue,
        Instant.MaxValue,
    };

    [Theory]
    [MemberData(nameof(Instants))]
    public void Instant_round_trips_to_the_nanosecond(Instant instant)
    {
        foreach (var (way, copy) in BothWays(instant))
        {
            Assert.True(instant == copy, $"{way}: {instant} came back as {copy}");
        }
    }

    public static TheoryData<Duration> Durations => new()
    {
        Duration.Zero,
        Duration.FromNanoseconds(1),
        Duration.FromNanoseconds(-1),
        Duration.FromHours(37) + Duration.FromNanoseconds(999_999_999),
        -(Duration.FromDays(400) + Duration.FromNanoseconds(5)),
        Duration.MaxValue,
        Duration.MinValue,
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void Duration_round_trips_to_the_nanosecond_either_sign(Duration duration)
    {
        foreach (var (way, copy) in BothWays(duration))
        {
            Assert.True(duration == copy, $"{way}: {duration} came back as {copy}");
        }
    }

    [Fact]
    public void Local_dates_times_and_months_round_trip_including_a_non_iso_calendar()
    {
        var date = new LocalDate(2024, 2, 29);
        var julian = new LocalDate(2024, 2, 29, CalendarSystem.Julian);
        var time = new LocalTime(23, 59, 59).PlusNanoseconds(999_999_999);
        var month = new YearMonth(2025, 12);
        var negativeYear = new LocalDate(Era.BeforeCommon, 44, 3, 15);

        foreach (var (way, copy) in BothWays((date, julian, time, month, negativeYear, LocalTime.Midnight)))
        {
            Assert.True(copy == (date, julian, time, month, negativeYear, LocalTime.Midnight), way);
            Assert.Equal(CalendarSystem.Julian, copy.julian.Calendar);
        }
    }

    public static TheoryData<Interval> Intervals => new()
    {
        new Interval(Instant.FromUtc(2025, 1, 1, 0, 0), Instant.FromUtc(2025, 1, 1, 0, 0) + Duration.FromNanoseconds(1)),
        new Interval(Instant.FromUtc(2025, 1, 1, 0, 0), null),
        new Interval(null, Instant.FromUtc(2025, 1, 1, 0, 0)),
        new Interval(null, null),
        new Interval(Instant.FromUtc(2025, 6, 1, 8, 0), Instant.FromUtc(2025, 6, 1, 8, 0)),
    };

    [Theory]
    [MemberData(nameof(Intervals))]
    public void Interval_round_trips_with_missing_ends_kept_missing(Interval interval)
    {
        foreach (var (way, copy) in BothWays(interval))
        {
            Assert.True(interval == copy, $"{way}: {interval} came back as {copy}");
            Assert.Equal(interval.HasStart, copy.HasStart);
            Assert.Equal(interval.HasEnd, copy.HasEnd);
        }
    }

    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    [InlineData("UTC")]
    public void Time_zone_round_trips_by_its_iana_id(string id)
    {
        var zone = DateTimeZoneProviders.Tzdb[id];
        foreach (var (way, copy) in BothWays(zone))
        {
            Assert.True(zone.Id == copy.Id, way);
            Assert.Same(zone, copy);
        }
    }

    [Fact]
    public void Time_zone_field_typed_as_object_round_trips()
    {
        object zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        Assert.Same(zone, ThroughBytes(zone));
    }

    [Fact]
    public void Reading_an_unknown_time_zone_fails_with_a_message_naming_the_id()
    {
        var bytes = Serializer.SerializeToArray(new SlaGrains.Contracts.Serialization.DateTimeZoneSurrogate { Id = "Mars/Olympus_Mons" });
        var error = Assert.ThrowsAny<Exception>(() => Serializer.Deserialize<DateTimeZone>(bytes));
        Assert.Contains("Mars/Olympus_Mons", error.ToString(), StringComparison.Ordinal);
    }
}
