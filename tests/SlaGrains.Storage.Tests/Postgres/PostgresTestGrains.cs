using System.Collections.Concurrent;
using System.Threading.Channels;

namespace SlaGrains.Storage.Tests.Postgres;

/// <summary>A grain with durable state on the default storage; it says which silo runs it.</summary>
[Alias("slagrains.tests.pg-note-grain")]
public interface IPgNoteGrain : IGrainWithStringKey
{
    [Alias("write")]
    Task Write(string text);

    [Alias("read")]
    Task<string> Read();

    [Alias("where")]
    Task<SiloAddress> Where();
}

[GenerateSerializer]
[Alias("slagrains.tests.pg-note")]
public sealed class PgNote
{
    [Id(0)]
    public string Text { get; set; } = string.Empty;
}

public sealed class PgNoteGrain(
    [PersistentState("note")] IPersistentState<PgNote> note,
    ILocalSiloDetails silo) : Grain, IPgNoteGrain
{
    public async Task Write(string text)
    {
        note.State.Text = text;
        await note.WriteStateAsync();
    }

    public Task<string> Read() => Task.FromResult(note.State.Text);

    public Task<SiloAddress> Where() => Task.FromResult(silo.SiloAddress);
}

/// <summary>A grain that arms a reminder and reports every tick, with the silo it ran on, to <see cref="ReminderTicks"/>.</summary>
[Alias("slagrains.tests.pg-reminder-grain")]
public interface IPgReminderGrain : IGrainWithStringKey
{
    [Alias("arm")]
    Task Arm(TimeSpan dueTime, TimeSpan period);

    [Alias("disarm")]
    Task Disarm();
}

public sealed class PgReminderGrain(ILocalSiloDetails silo) : Grain, IPgReminderGrain, IRemindable
{
    public const string ReminderName = "deadline";

    public Task Arm(TimeSpan dueTime, TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, dueTime, period);

    public async Task Disarm()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ReminderTicks.For(this.GetPrimaryKeyString()).Writer.TryWrite(silo.SiloAddress);
        return Task.CompletedTask;
    }
}

/// <summary>Where the test waits for reminder ticks: one unbounded channel per grain key (silos run in this process).</summary>
public static class ReminderTicks
{
    private static readonly ConcurrentDictionary<string, Channel<SiloAddress>> Channels = new();

    public static Channel<SiloAddress> For(string grainKey) => Channels.GetOrAdd(grainKey, _ => Channel.CreateUnbounded<SiloAddress>());
}
