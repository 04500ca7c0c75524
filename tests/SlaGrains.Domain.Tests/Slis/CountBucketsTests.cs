using FsCheck.Xunit;
using SlaGrains.Domain.Slis;

namespace SlaGrains.Domain.Tests.Slis;

public class CountBucketsTests
{
    private static readonly Instant TenOClock = Instant.FromUtc(2026, 6, 1, 10, 0);

    [Fact]
    public void Counts_inside_one_bucket_stay_whole()
    {
        var parts = CountBuckets.Split(TenOClock + Duration.FromMinutes(1), TenOClock + Duration.FromMinutes(2), new EventCounts(7, 9));

        Assert.Equal([(TenOClock, new EventCounts(7, 9))], parts);
    }

    [Fact]
    public void Counts_over_two_buckets_split_by_the_time_spent_in_each()
    {
        // [10:02, 10:07): 3 minutes in the 10:00 bucket, 2 in the 10:05 bucket.
        var parts = CountBuckets.Split(TenOClock + Duration.FromMinutes(2), TenOClock + Duration.FromMinutes(7), new EventCounts(500, 1_000));

        Assert.Equal(
            [(TenOClock, new EventCounts(300, 600)), (TenOClock + Duration.FromMinutes(5), new EventCounts(200, 400))],
            parts);
    }

    [Fact]
    public void Leftover_events_go_to_the_largest_remainders_earlier_bucket_first()
    {
        // 1 good and 1 bad over three equal buckets: each share is 1/3, so the first bucket takes both.
        var parts = CountBuckets.Split(TenOClock, TenOClock + Duration.FromMinutes(15), new EventCounts(1, 2));

        Assert.Equal([(TenOClock, new EventCounts(1, 2))], parts);
    }

    [Fact]
    public void Buckets_are_aligned_to_the_epoch()
        => Assert.Equal(TenOClock + Duration.FromMinutes(5), CountBuckets.Floor(TenOClock + Duration.FromSeconds(599)));

    [Property]
    public bool A_split_sums_exactly_to_what_was_posted_and_keeps_good_within_total(int startSeconds, int lengthSeconds, long good, long bad)
    {
        var from = TenOClock + Duration.FromSeconds(Math.Abs(startSeconds % 86_400));
        var to = from + Duration.FromSeconds(60 + Math.Abs(lengthSeconds % 86_341));
        var counts = new EventCounts(Math.Abs(good % 1_000_000_000_000), 0);
        counts = counts with { Total = counts.Good + Math.Abs(bad % 1_000_000_000_000) };

        var parts = CountBuckets.Split(from, to, counts);

        return parts.Sum(p => p.Counts.Good) == counts.Good
            && parts.Sum(p => p.Counts.Total) == counts.Total
            && parts.All(p => p.Counts.Good >= 0 && p.Counts.Good <= p.Counts.Total && p.Counts.Total > 0)
            && parts.All(p => p.Start + CountBuckets.Width > from && p.Start < to && p.Start == CountBuckets.Floor(p.Start));
    }

    [Property]
    public bool Each_part_is_within_one_event_of_its_exact_share(int startSeconds, int lengthSeconds, long total)
    {
        var from = TenOClock + Duration.FromSeconds(Math.Abs(startSeconds % 86_400));
        var to = from + Duration.FromSeconds(60 + Math.Abs(lengthSeconds % 86_341));
        var t = Math.Abs(total % 1_000_000_000_000);

        var parts = CountBuckets.Split(from, to, new EventCounts(t, t));

        var length = (to - from).TotalSeconds;
        return parts.All(p =>
        {
            var start = p.Start > from ? p.Start : from;
            var end = p.Start + CountBuckets.Width < to ? p.Start + CountBuckets.Width : to;
            var exact = (decimal)t * (decimal)(end - start).TotalSeconds / (decimal)length;
            return Math.Abs(p.Counts.Total - exact) < 1.0001m;
        });
    }
}
