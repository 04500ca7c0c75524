using FsCheck.Xunit;
using SlaGrains.Domain.Tickets;
using static SlaGrains.Domain.Tests.Calendars.CalendarFixtures;

namespace SlaGrains.Domain.Tests.Tickets;

public class TicketSlaPropertyTests
{
    /// <summary>
    /// Whatever sequence of pauses, resumes and re-targets a ticket goes through, at the instant of its
    /// next deadline the clock's elapsed business time is exactly the threshold's share of the target.
    /// </summary>
    [Property(MaxTest = 200)]
    public bool At_the_next_deadline_elapsed_equals_threshold_times_target(int calendar, int startMinutes, int[] steps)
    {
        var cal = All[Math.Abs(calendar % All.Length)];
        var start = Utc("2026-01-05T00:00:00Z") + Duration.FromMinutes(Math.Abs(startMinutes % (600 * 24 * 60)));
        var targets = new PriorityTargets(Duration.FromHours(2), Duration.FromHours(9), Duration.FromHours(1), warnings: new WarningThresholds([50, 75, 90])).For(cal);
        var state = TicketSla.Fold(null, TicketSla.Decide(null, new OpenTicket(TicketPriority.P3, targets), start).Events)!;
        var now = start;

        foreach (var step in steps ?? [])
        {
            if (!DeadlineHoldsAt(state))
            {
                return false;
            }

            now += Duration.FromMinutes(Math.Abs(step % 600));
            TicketSlaCommand command = Math.Abs(step % 5) switch
            {
                0 => new ChangeStatus(TicketStatus.WaitingOnCustomer),
                1 => new ChangeStatus(TicketStatus.InProgress),
                // New targets come with their own warnings, so re-arming is exercised too.
                2 => new ChangePriority((TicketPriority)(1 + Math.Abs(step % 4)), new PriorityTargets(Duration.FromMinutes(30 + Math.Abs(step % 300)), Duration.FromMinutes(60 + Math.Abs(step % 900)), warnings: new WarningThresholds([1 + Math.Abs(step % 40), 50 + Math.Abs(step % 49)])).For(cal)),
                3 => new RecordCustomerReply(),
                _ => new CheckDeadlines(),
            };
            var decision = TicketSla.Decide(state, command, now);
            state = TicketSla.Fold(state, decision.Events)!;
        }

        return DeadlineHoldsAt(state);
    }

    private static bool DeadlineHoldsAt(TicketSla state)
    {
        if (state.NextDeadline() is not { } deadline || deadline.At < state.LastEventAt)
        {
            return true;
        }

        var clock = state.Clock(deadline.Metric)!;
        return clock.ElapsedAt(deadline.At) == MetricClock.Share(clock.Target, deadline.Percent);
    }
}
