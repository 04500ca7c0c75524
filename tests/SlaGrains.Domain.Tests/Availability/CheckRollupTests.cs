using SlaGrains.Domain.Availability;

namespace SlaGrains.Domain.Tests.Availability;

public class CheckRollupTests
{
    private static readonly Instant Hour = Instant.FromUtc(2026, 3, 10, 12, 0);
    private static readonly Interval Bucket = new(Hour, Hour + Duration.FromHours(1));
    private static readonly Duration Coverage = Duration.FromMinutes(2);

    private static Instant Minute(int m) => Hour + Duration.FromMinutes(m);

    private static CheckResult Up(int minute, int ms) => new(Minute(minute), CheckOutcome.Up, null, Duration.FromMilliseconds(ms));

    [Fact]
    public void Checks_every_minute_make_a_whole_hour_up_with_nearest_rank_response_percentiles()
    {
        var results = Enumerable.Range(-1, 61).Select(m => Up(m, 100 + m)).ToList();

        var rollup = CheckRollup.Of(Bucket, Minute(90), results, [], Coverage);

        Assert.Equal((Duration.FromHours(1), Duration.Zero, Duration.Zero), (rollup.Up, rollup.Down, rollup.Unknown));
        Assert.Equal((60, 0), (rollup.Checks, rollup.FailedChecks));
        Assert.Equal(Duration.FromMilliseconds(129), rollup.ResponseP50);
        Assert.Equal(Duration.FromMilliseconds(156), rollup.ResponseP95);
        Assert.Equal(Duration.FromMilliseconds(159), rollup.ResponseMax);
        Assert.Equal(Duration.FromMilliseconds(159), rollup.ResponseP99);
    }

    [Fact]
    public void The_99th_percentile_is_the_nearest_rank_of_the_bucket_s_timed_checks()
    {
        // 120 checks every 30 seconds answering in 1..120 ms (shuffled), and one failed check that measured nothing.
        var results = Enumerable.Range(0, 120)
            .Select(i => new CheckResult(Hour + Duration.FromSeconds(30 * i), CheckOutcome.Up, null, Duration.FromMilliseconds(((i * 7) % 120) + 1)))
            .Append(new CheckResult(Hour + Duration.FromSeconds(15), CheckOutcome.Down, null, null))
            .ToList();

        var rollup = CheckRollup.Of(Bucket, Minute(90), results, [], Coverage);

        Assert.Equal((121, 1), (rollup.Checks, rollup.FailedChecks));
        Assert.Equal(Duration.FromMilliseconds(60), rollup.ResponseP50);
        Assert.Equal(Duration.FromMilliseconds(114), rollup.ResponseP95);
        Assert.Equal(Duration.FromMilliseconds(119), rollup.ResponseP99);
        Assert.Equal(Duration.FromMilliseconds(120), rollup.ResponseMax);
    }

    [Fact]
    public void A_bucket_without_response_times_has_no_p99()
    {
        var rollup = CheckRollup.Of(Bucket, Minute(90), [new CheckResult(Minute(1), CheckOutcome.Up, null, null)], [], Coverage);

        Assert.Equal(1, rollup.Checks);
        Assert.Null(rollup.ResponseP99);
    }

    [Fact]
    public void Missing_data_is_unknown_not_up()
    {
        // Checks until minute 20, then silence: each result vouches for two minutes at most.
        var results = Enumerable.Range(0, 21).Select(m => Up(m, 50)).ToList();

        var rollup = CheckRollup.Of(Bucket, Minute(90), results, [], Coverage);

        Assert.Equal(Duration.FromMinutes(22), rollup.Up);
        Assert.Equal(Duration.FromMinutes(38), rollup.Unknown);
        Assert.Equal(Duration.Zero, rollup.Down);
    }

    [Fact]
    public void An_incident_counts_down_for_its_whole_span_even_where_no_result_fell()
    {
        var results = new[] { Up(0, 10), CheckResult.Down(Minute(10)), Up(40, 10) };

        var rollup = CheckRollup.Of(Bucket, Minute(90), results, [new Interval(Minute(10), Minute(40))], Coverage);

        Assert.Equal(Duration.FromMinutes(30), rollup.Down);
        Assert.Equal(Duration.FromMinutes(4), rollup.Up);
        Assert.Equal(Duration.FromMinutes(26), rollup.Unknown);
        Assert.Equal((3, 1), (rollup.Checks, rollup.FailedChecks));
    }

    [Fact]
    public void An_open_incident_runs_to_now_and_the_future_part_of_the_bucket_is_not_counted()
    {
        var results = new[] { Up(0, 10), CheckResult.Down(Minute(5)) };

        var rollup = CheckRollup.Of(Bucket, Minute(30), results, [new Interval(Minute(5), null)], Coverage);

        Assert.Equal(Duration.FromMinutes(25), rollup.Down);
        Assert.Equal(Duration.FromMinutes(2), rollup.Up);
        Assert.Equal(Duration.FromMinutes(3), rollup.Unknown);
        Assert.Equal(Duration.FromMinutes(30), rollup.Up + rollup.Down + rollup.Unknown);
    }

    [Fact]
    public void An_open_incident_that_starts_after_the_bucket_does_not_count_in_it()
    {
        var rollup = CheckRollup.Of(Bucket, Minute(90), [Up(0, 10)], [new Interval(Minute(75), null)], Coverage);

        Assert.Equal((Duration.FromMinutes(2), Duration.Zero), (rollup.Up, rollup.Down));
    }

    [Fact]
    public void A_result_just_before_the_bucket_covers_its_start_but_is_not_one_of_its_checks()
    {
        var rollup = CheckRollup.Of(Bucket, Minute(90), [Up(-1, 10)], [], Coverage);

        Assert.Equal(Duration.FromMinutes(1), rollup.Up);
        Assert.Equal(0, rollup.Checks);
        Assert.Null(rollup.ResponseP50);
    }

    [Fact]
    public void A_bucket_that_has_not_started_has_no_figures()
    {
        var rollup = CheckRollup.Of(Bucket, Minute(-5), [Up(-6, 10)], [], Coverage);

        Assert.Equal(Duration.Zero, rollup.Up + rollup.Down + rollup.Unknown);
    }

    [Fact]
    public void Hours_and_days_are_utc_buckets_also_before_1970()
    {
        Assert.Equal(new Interval(Hour, Hour + Duration.FromHours(1)), CheckRollup.HourOf(Minute(59)));
        Assert.Equal(Instant.FromUtc(2026, 3, 10, 0, 0), CheckRollup.DayOf(Minute(59)).Start);
        Assert.Equal(Instant.FromUtc(1969, 12, 31, 0, 0), CheckRollup.DayOf(Instant.FromUtc(1969, 12, 31, 23, 59)).Start);
    }
}
