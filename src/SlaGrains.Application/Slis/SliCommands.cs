using SlaGrains.Application.Customers;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Contracts.Customers;
using SlaGrains.Contracts.Slis;
using SlaGrains.Domain.Availability;
using SlaGrains.Domain.Slis;

namespace SlaGrains.Application.Slis;

/// <summary>An SLI's window as sent: <c>{ "kind": "rolling", "days": 28 }</c> or <c>{ "kind": "calendar", "unit": "month" }</c>.</summary>
public sealed record SliWindowInput(string? Kind, int? Days, string? Unit);

/// <summary>An SLI as sent to <c>PUT /api/v1/slis/{id}</c>.</summary>
public sealed record SliInput(string? CustomerId, string? Name, decimal? ObjectivePercent, SliWindowInput? Window);

/// <summary>The metric queries of an SLI imported from OpenSLO (good or bad, and total); null members: none.</summary>
public sealed record SliQueries(string? Good, string? Bad, string? Total);

/// <summary>Counts as sent to <c>POST /api/v1/slis/{id}/counts</c>: good and total events over <c>[from, to)</c>.</summary>
public sealed record SliCountsInput(long? Good, long? Total, Instant? From, Instant? To);

/// <summary>
/// Request-based SLIs: admins and managers set them up; staff and the customer's ingestion keys post counts (they
/// decide the customer's budget, so its own users never do); whoever may read the customer reads its SLIs. An SLI
/// the caller may not see looks unknown.
/// </summary>
[ApplicationService]
public sealed class SliCommands(IGrainFactory grains, CustomerCommands customers, CustomerDirectory directory)
{
    /// <summary>
    /// Creates or changes an SLI (admins and managers). The window's zone is the customer's, as it is now. The metric
    /// queries an OpenSLO import gave stay unless <paramref name="queries"/> replaces them; settings equal to the SLI's
    /// own change nothing (nothing is written).
    /// </summary>
    public async Task<Result<SliView>> Put(Caller caller, string sliId, SliInput input, SliQueries? queries = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        if (!Bounds.IsId(sliId))
        {
            return Failure.NotFound($"SLI '{sliId}'");
        }

        var errors = new InputErrors();
        if (!Bounds.IsId(input.CustomerId))
        {
            errors.Add("customerId", Bounds.IdRule("A customer id"));
        }

        var name = Bounds.Blank(input.Name);
        if (name is null)
        {
            errors.Add("name", "An SLI has a name, e.g. \"Checkout requests\".");
        }
        else
        {
            Bounds.CheckName(errors, "name", name);
        }

        if (input.ObjectivePercent is not { } objective)
        {
            errors.Add("objectivePercent", "An SLI has an objective in percent, above 0 and below 100, e.g. 99.9.");
        }
        else if (objective <= 0m || objective >= 100m || decimal.Round(objective, EventRatioBudget.MaxObjectiveDecimals) != objective)
        {
            errors.Add("objectivePercent", $"The objective is a percentage above 0 and below 100 with at most {EventRatioBudget.MaxObjectiveDecimals} decimals, e.g. 99.9.");
        }

        var window = Window(input.Window, errors);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var customerId = input.CustomerId!;
        if (await customers.Managed(caller, customerId) is null)
        {
            return await customers.Refusal(caller, customerId);
        }

        var zone = (await grains.GetGrain<ICustomerGrain>(customerId).Get())?.Calendar?.Zone.Id ?? DateTimeZone.Utc.Id;
        var sli = grains.GetGrain<ISliGrain>(sliId);
        if (await sli.Get() is { } existing && existing.Settings.CustomerId != customerId)
        {
            return Failure.Conflict($"SLI '{sliId}' already exists.");
        }

        if (!await grains.GetGrain<ICustomerSlisGrain>(customerId).Add(sliId))
        {
            return Failure.Conflict($"A customer has at most {ICustomerSlisGrain.MaxSlis} SLIs.");
        }

        var settings = new SliSettings(customerId, name!, input.ObjectivePercent!.Value, window!.Kind, window.Days, zone);
        var before = (await sli.Get())?.Settings;
        settings = queries is null
            ? settings with { GoodQuery = before?.GoodQuery, BadQuery = before?.BadQuery, TotalQuery = before?.TotalQuery }
            : settings with { GoodQuery = queries.Good, BadQuery = queries.Bad, TotalQuery = queries.Total };
        if (before == settings && await sli.Get() is { } same)
        {
            return same;
        }

        using var actor = Actor.Is(caller);
        var result = await sli.Configure(settings);
        return result.Accepted ? result.Sli! : Failure.Rejected(result.Rejection!);
    }

    /// <summary>An SLI the caller may read.</summary>
    public async Task<Result<SliView>> Get(Caller caller, string sliId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Bounds.IsId(sliId) && await grains.GetGrain<ISliGrain>(sliId).Get() is { } view && caller.CanRead(view.Settings.CustomerId)
            ? view
            : Failure.NotFound($"SLI '{sliId}'");
    }

    /// <summary>The SLIs of a customer the caller may read (a customer's user: its own when none is named), by id.</summary>
    public async Task<Result<IReadOnlyList<SliView>>> List(Caller caller, string? customerId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var id = customerId ?? caller.CustomerId;
        if (id is null)
        {
            return Failure.Invalid("customerId", "Name the customer: ?customerId=acme.");
        }

        if (await directory.FindAsync(caller, id) is null)
        {
            return Failure.NotFound($"Customer '{id}'");
        }

        var ids = await grains.GetGrain<ICustomerSlisGrain>(id).List();
        var views = await Task.WhenAll(ids.Select(s => grains.GetGrain<ISliGrain>(s).Get()));
        return Result<IReadOnlyList<SliView>>.Success(
            [.. views.Where(v => v is not null && v.Settings.CustomerId == id).Select(v => v!).OrderBy(v => v.SliId, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Records counts (staff, and ingestion keys bound to the SLI's customer). The same interval with the same counts
    /// again is answered as a replay and changes nothing; other counts for it, or an overlapping interval, are a conflict.
    /// </summary>
    public async Task<Result<SliResult>> Counts(Caller caller, string sliId, SliCountsInput input)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(input);
        var errors = new InputErrors();
        if (input.Total is not { } total || total < 0 || total > SliRules.MaxCount)
        {
            errors.Add("total", $"total is the number of events counted, 0 to {SliRules.MaxCount:N0}.");
        }

        if (input.Good is not { } good || good < 0 || (input.Total is { } t && good > t))
        {
            errors.Add("good", "good is the number of good events, 0 to total.");
        }

        var fromValid = input.From is { } from && Bounds.CheckInstant(errors, "from", from);
        if (input.From is null)
        {
            errors.Add("from", "from is the start of the counted interval, e.g. \"2026-01-01T10:00:00Z\".");
        }

        if (input.To is not { } to)
        {
            errors.Add("to", "to is the end of the counted interval (exclusive), e.g. \"2026-01-01T10:05:00Z\".");
        }
        else if (Bounds.CheckInstant(errors, "to", to) && fromValid)
        {
            var span = to - input.From!.Value;
            if (span <= Duration.Zero)
            {
                errors.Add("to", "to is after from.");
            }
            else if (span < SliRules.MinSpan || span > SliRules.MaxSpan)
            {
                errors.Add("to", "Counts cover a minute to a day: to − from is 1 minute to 24 hours.");
            }
        }

        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var sli = grains.GetGrain<ISliGrain>(sliId);
        if (!Bounds.IsId(sliId) || await sli.Get() is not { } view)
        {
            return Failure.NotFound($"SLI '{sliId}'");
        }

        var customerId = view.Settings.CustomerId;
        if (!caller.IsStaff && !(caller.IngestionOnly && caller.CustomerId == customerId))
        {
            return caller.IngestionOnly && caller.CustomerId is null
                ? Failure.Forbidden("This ingestion key is bound to no customer; create a key bound to the SLI's customer.")
                : caller.CanRead(customerId)
                    ? Failure.Forbidden("Counts come from the service provider's staff and ingestion keys.")
                    : Failure.NotFound($"SLI '{sliId}'");
        }

        using var actor = Actor.Is(caller);
        var result = await sli.RecordCounts(input.From!.Value, input.To!.Value, input.Good!.Value, input.Total!.Value);
        return result.Rejection?.Code switch
        {
            null => result,
            "invalid-future" => Failure.Invalid("to", result.Rejection.Message),
            "invalid-too-old" => Failure.Invalid("from", result.Rejection.Message),
            "invalid-span" or "invalid-interval" => Failure.Invalid("to", result.Rejection.Message),
            "invalid-counts" => Failure.Invalid("good", result.Rejection.Message),
            "sli-not-found" => Failure.NotFound($"SLI '{sliId}'"),
            _ => Failure.Rejected(result.Rejection),
        };
    }

    private static SliWindow? Window(SliWindowInput? input, InputErrors errors)
    {
        const string Shape = "A window is { \"kind\": \"rolling\", \"days\": 28 } (1–90 days) or { \"kind\": \"calendar\", \"unit\": \"month\" }.";
        if (input is null)
        {
            errors.Add("window", Shape);
            return null;
        }

        switch (input.Kind?.Trim().ToLowerInvariant())
        {
            case "rolling" when input.Days is >= 1 and <= SliWindow.MaxRollingDays && input.Unit is null:
                return SliWindow.Rolling(input.Days.Value);
            case "rolling":
                errors.Add("window.days", $"A rolling window is 1 to {SliWindow.MaxRollingDays} days.");
                return null;
            case "calendar" when input.Unit?.Trim().ToLowerInvariant() == "month" && input.Days is null:
                return SliWindow.CalendarMonth;
            case "calendar":
                errors.Add("window.unit", "A calendar window is the month: { \"kind\": \"calendar\", \"unit\": \"month\" }.");
                return null;
            default:
                errors.Add("window", Shape);
                return null;
        }
    }
}
