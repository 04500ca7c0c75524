namespace SlaGrains.Storage.Tests.Sqlite;

/// <summary>A tiny grain that keeps a counter in SQLite grain storage and can hold a reminder.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    Task<int> Count();

    Task RegisterReminder(string name, TimeSpan dueTime, TimeSpan period);

    Task<bool> HasReminder(string name);
}

[GenerateSerializer]
[Alias("slagrains.tests.sqlite.counter-state")]
public sealed class CounterState
{
    [Id(0)]
    public int Count { get; set; }
}

public sealed class CounterGrain(
    [PersistentState("counter", SqliteSilo.StorageName)] IPersistentState<CounterState> counter) : Grain, ICounterGrain, IRemindable
{
    public async Task<int> Increment()
    {
        counter.State.Count++;
        await counter.WriteStateAsync();
        return counter.State.Count;
    }

    public Task<int> Count() => Task.FromResult(counter.State.Count);

    public Task RegisterReminder(string name, TimeSpan dueTime, TimeSpan period) => this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task<bool> HasReminder(string name) => await this.GetReminder(name) is not null;

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
