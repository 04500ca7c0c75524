using System.Security.Claims;
using System.Text;
using SlaGrains.Application.OpenSlo;
using SlaGrains.Contracts.Accounts;
using SlaGrains.Server.Security;

namespace SlaGrains.Server.Api;

/// <summary>What <c>POST /api/v1/openslo</c> did, document by document.</summary>
public sealed record OpenSloImportResponse(IReadOnlyList<OpenSloChange> Documents);

/// <summary>OpenSLO v1 in and out, and Prometheus burn-rate rules per SLO.</summary>
internal static class OpenSloApi
{
    private const string Yaml = "application/yaml";

    public static void MapOpenSloApi(this RouteGroupBuilder api)
    {
        api.MapPost("/openslo", Import)
            .WithTags("OpenSLO")
            .Accepts<string>(Yaml, "application/x-yaml", "text/yaml", "text/plain")
            .Produces<OpenSloImportResponse>()
            .AcceptsKeys(ApiKeyScope.Write, ApiKeyScope.Admin)
            .WithSummary("Creates or updates SLOs from OpenSLO v1 YAML (one or many documents, at most 200 and 1 MiB; all or nothing; admins and managers).");
        api.MapGet("/openslo", async (string? customer, ClaimsPrincipal user, OpenSloCommands commands) =>
            {
                var result = await commands.Export(Caller.From(user), customer);
                return result.Succeeded ? Results.Text(result.Value, Yaml, Encoding.UTF8) : ApiResults.Problem(result.Failure);
            })
            .WithTags("OpenSLO")
            .Produces<string>(StatusCodes.Status200OK, Yaml)
            .AcceptsKeys(ApiKeyScope.Read, ApiKeyScope.Write, ApiKeyScope.Admin)
            .WithSummary("Every SLO and contract as OpenSLO v1 YAML (staff; ?customer= narrows to one customer).");
        api.MapGet("/slos/{id}/prometheus-rules", async (string id, ClaimsPrincipal user, PrometheusRules rules) =>
            {
                var result = await rules.For(Caller.From(user), id);
                return result.Succeeded ? Results.Text(result.Value, Yaml, Encoding.UTF8) : ApiResults.Problem(result.Failure);
            })
            .WithTags("OpenSLO")
            .Produces<string>(StatusCodes.Status200OK, Yaml)
            .AcceptsKeys(ApiKeyScope.Read, ApiKeyScope.Write, ApiKeyScope.Admin)
            .WithSummary("Multi-window burn-rate recording and alerting rules (Prometheus rule file) for SLO monitor:{id}, latency:{id} or sli:{id} (staff).");
    }

    private static async Task<IResult> Import(HttpRequest request, ClaimsPrincipal user, OpenSloCommands commands)
    {
        // Read at most one byte past the limit: a larger body is refused without being held whole.
        var buffer = new byte[OpenSloFormat.MaxBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read, buffer.Length - read), request.HttpContext.RequestAborted)) > 0)
        {
            read += n;
        }

        if (read > OpenSloFormat.MaxBytes)
        {
            return ApiResults.Problem(Application.Failure.Invalid("body", $"At most {OpenSloFormat.MaxBytes:N0} bytes of YAML."));
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(buffer, 0, read);
        }
        catch (DecoderFallbackException)
        {
            return ApiResults.Problem(Application.Failure.Invalid("body", "The YAML is UTF-8."));
        }

        var result = await commands.Import(Caller.From(user), text);
        return result.Succeeded ? TypedResults.Ok(new OpenSloImportResponse(result.Value!)) : ApiResults.Problem(result.Failure);
    }
}
