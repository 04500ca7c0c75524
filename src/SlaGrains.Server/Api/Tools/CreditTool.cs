using Microsoft.AspNetCore.Http.HttpResults;
using SlaGrains.Application.Customers;
using SlaGrains.Domain.Credits;

namespace SlaGrains.Server.Api.Tools;

/// <summary>A credit question: what credit does a month's availability earn?</summary>
/// <param name="AvailabilityPercent">The month's availability in percent, in [0, 100] (cut to 4 decimals, as reported).</param>
/// <param name="TargetPercent">The committed availability in percent, in (0, 100]; at or above it no credit is due.</param>
/// <param name="MonthlyFee">The monthly fee the credit is a share of; not negative.</param>
/// <param name="Schedule">The credit schedule, <c>[minPercent, maxPercent) → creditPercent</c> rows covering 0 % up to
/// the top; default [99.0, 99.9) → 10, [95.0, 99.0) → 25, [0.0, 95.0) → 50.</param>
/// <param name="CapPercent">The largest credit, percent of the fee, in [0, 100]; default 50.</param>
public sealed record CreditRequest(
    decimal? AvailabilityPercent,
    decimal? TargetPercent,
    decimal? MonthlyFee,
    List<CreditTierInput>? Schedule,
    decimal? CapPercent);

/// <summary>The answer to a <see cref="CreditRequest"/>.</summary>
/// <param name="CreditPercent">The credit in percent of the fee, after the cap; 0 when none is due.</param>
/// <param name="CreditAmount">Fee × creditPercent / 100, rounded to 2 decimals (midpoints away from zero).</param>
/// <param name="Capped">Whether the schedule's credit exceeded the cap and was reduced to it.</param>
/// <param name="Met">Whether the availability met the target (then no credit is due).</param>
public sealed record CreditResponse(decimal CreditPercent, decimal CreditAmount, bool Capped, bool Met);

/// <summary><c>POST /api/v1/tools/credit</c>: <see cref="CreditCalculator.Calculate(CreditInputs)"/> on the request's own terms.</summary>
internal static class CreditTool
{
    /// <summary>ISO 4217 "no currency": the tool's amounts are in whatever currency the fee is.</summary>
    private const string NoCurrency = "XXX";

    /// <summary>Valid terms to check the availability against when the request's own terms are invalid.</summary>
    private static readonly CreditTerms AnyTerms = new(100m, 0m, NoCurrency, CreditSchedule.Default);

    public static Results<Ok<CreditResponse>, ValidationProblem> Compute(CreditRequest request)
    {
        var errors = new InputErrors();
        var availability = ToolsApi.Required(errors, "$.availabilityPercent", request.AvailabilityPercent, "99.5");
        var target = ToolsApi.Required(errors, "$.targetPercent", request.TargetPercent, "99.9");
        var fee = ToolsApi.Required(errors, "$.monthlyFee", request.MonthlyFee, "1000.0");
        if (fee is { } amount)
        {
            Bounds.CheckMoney(errors, "$.monthlyFee", amount);
        }

        var schedule = Schedule(request.Schedule, errors);
        if (errors.Any)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        var terms = ToolsApi.Build(errors, "$", () => new CreditTerms(
            target!.Value, fee!.Value, NoCurrency, schedule ?? CreditSchedule.Default, request.CapPercent ?? CreditTerms.DefaultCapPercent));
        var inputs = ToolsApi.Build(errors, "$", () => new CreditInputs(availability!.Value, terms ?? AnyTerms));
        if (errors.Any || inputs is null)
        {
            return Problems.Invalid(errors.ToDictionary());
        }

        var credit = CreditCalculator.Calculate(inputs);
        return TypedResults.Ok(new CreditResponse(credit.CreditPercent, credit.Amount, credit.Capped, credit.Met));
    }

    private static CreditSchedule? Schedule(List<CreditTierInput>? rows, InputErrors errors)
    {
        if (rows is null)
        {
            return null;
        }

        if (ToolLimits.TooMany(errors, "$.schedule", rows, ToolLimits.MaxScheduleRows, "schedule rows"))
        {
            return null;
        }

        var tiers = new List<CreditTier>();
        for (var i = 0; i < rows.Count; i++)
        {
            var path = $"$.schedule[{i}]";
            if (rows[i] is not { } row)
            {
                errors.Add(path, "A schedule row is {\"minPercent\": 99.0, \"maxPercent\": 99.9, \"creditPercent\": 10}.");
            }
            else if (ToolsApi.Build(errors, path, () => new CreditTier(row.MinPercent, row.MaxPercent, row.CreditPercent)) is { } tier)
            {
                tiers.Add(tier);
            }
        }

        return errors.Any ? null : errors.Try("$.schedule", () => new CreditSchedule(tiers));
    }
}
