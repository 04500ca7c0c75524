using SlaGrains.Grains.Shell;

namespace SlaGrains.Grains.Tests.Shell;

/// <summary>The shell's outbox: delivered entries leave with the next write, a failure keeps the rest for the next try.</summary>
public sealed class OutboxTests
{
    [Fact]
    public async Task Delivered_entries_are_dropped_by_the_next_write_and_not_delivered_twice_meanwhile()
    {
        var outbox = new Outbox<string>(m => m);
        List<string> stored = ["a", "b"];
        var delivered = new List<string>();

        Assert.True(await outbox.DeliverAsync(stored, m => { delivered.Add(m); return Task.CompletedTask; }, (_, _) => { }));
        Assert.True(await outbox.DeliverAsync(stored, m => { delivered.Add(m); return Task.CompletedTask; }, (_, _) => { }));
        Assert.False(outbox.HasPending(stored));
        stored.Add("c");
        outbox.DropDelivered(stored);

        Assert.Equal(["a", "b"], delivered);
        Assert.Equal(["c"], stored);
        Assert.True(outbox.HasPending(stored));
    }

    [Fact]
    public async Task A_failed_delivery_stops_there_and_the_rest_is_delivered_on_the_next_try_in_order()
    {
        var outbox = new Outbox<string>(m => m);
        List<string> stored = ["a", "b", "c"];
        var delivered = new List<string>();
        var failures = new List<string>();

        var first = await outbox.DeliverAsync(stored, m => m == "b" && failures.Count == 0 ? throw new IOException("down") : Record(m), (m, _) => failures.Add(m));
        var second = await outbox.DeliverAsync(stored, Record, (m, _) => failures.Add(m));

        Assert.False(first);
        Assert.True(second);
        Assert.Equal(["b"], failures);
        Assert.Equal(["a", "b", "c"], delivered);

        Task Record(string m)
        {
            delivered.Add(m);
            return Task.CompletedTask;
        }
    }
}
