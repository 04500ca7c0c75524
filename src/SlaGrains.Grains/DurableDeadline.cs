namespace SlaGrains.Grains;

/// <summary>
/// A grain's durable deadline: a one-shot grain timer (precise to milliseconds while the grain is active) and an
/// Orleans reminder as the backstop, due no later than the deadline, so a deactivated grain or one whose silo died is
/// woken and catches up. The reminder's due instant is kept in the grain's state by the caller, so the reminder is
/// re-registered only when the deadline moves earlier than it or after it ticked.
/// </summary>
internal sealed class DurableDeadline(Grain grain, string reminderName, TimeSpan reminderPeriod, Func<Task> onTimer)
{
    private IGrainTimer? _timer;

    /// <summary>
    /// Keeps the reminder due no later than <paramref name="next"/>; removes it when nothing is pending. Returns the
    /// reminder's due instant to keep in state (unchanged when the registered one still serves).
    /// </summary>
    public async Task<Instant?> ArmReminder(Instant? next, Instant? registered, Instant now)
    {
        if (next is null)
        {
            if (registered is not null && await grain.GetReminder(reminderName) is { } reminder)
            {
                await grain.UnregisterReminder(reminder);
            }

            return null;
        }

        if (registered is { } due && due <= next.Value && due > now)
        {
            return registered;
        }

        var dueTime = next.Value > now ? (next.Value - now).ToTimeSpan() : TimeSpan.Zero;
        await grain.RegisterOrUpdateReminder(reminderName, dueTime, reminderPeriod);
        return now + Duration.FromTimeSpan(dueTime);
    }

    /// <summary>
    /// The reminder's next due instant after it ticked at <paramref name="now"/>: a period later, or null (re-register)
    /// when <paramref name="next"/> is further away, so an idle grain is not woken every period.
    /// </summary>
    public Instant? AfterTick(Instant? next, Instant now)
    {
        var ticksAgain = now + Duration.FromTimeSpan(reminderPeriod);
        return next is { } deadline && deadline > ticksAgain ? null : ticksAgain;
    }

    /// <summary>
    /// Replaces the timer with a fresh one-shot timer for <paramref name="next"/> (changing a timer from inside its own
    /// callback does not stick). Beyond <paramref name="horizon"/> the timer is skipped (the reminder, due at the
    /// deadline, re-arms it) or, with <paramref name="clampToHorizon"/>, fires at the horizon and re-arms.
    /// </summary>
    public void ArmTimer(Instant? next, Instant now, TimeSpan horizon, bool clampToHorizon)
    {
        _timer?.Dispose();
        _timer = null;
        if (next is null)
        {
            return;
        }

        var due = next.Value > now ? (next.Value - now).ToTimeSpan() : TimeSpan.Zero;
        if (due > horizon)
        {
            if (!clampToHorizon)
            {
                return;
            }

            due = horizon;
        }

        _timer = grain.RegisterGrainTimer(
            async () =>
            {
                _timer?.Dispose();
                _timer = null;
                await onTimer();
            },
            new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan));
    }
}
