using System.Net;
using System.Text;
using System.Text.Json;

namespace SlaGrains.Server.Tests.Tools;

/// <summary>Anonymous calls to the what-if tools, as any client makes them.</summary>
internal static class ToolRequests
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string tool, string body)
        => client.PostAsync(new Uri($"api/v1/tools/{tool}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>Asserts a 200 and returns its body.</summary>
    public static async Task<JsonElement> OkAsync(SlaGrainsServerFixture server, string tool, string body)
    {
        using var client = server.Anonymous();
        using var response = await PostAsync(client, tool, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text, SlaGrainsServerFixture.Json);
    }

    /// <summary>Asserts a 400 <c>application/problem+json</c> and returns its <c>errors</c> object.</summary>
    public static async Task<JsonElement> ProblemAsync(SlaGrainsServerFixture server, string tool, string body)
    {
        using var client = server.Anonymous();
        using var response = await PostAsync(client, tool, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(text, SlaGrainsServerFixture.Json);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        return problem.GetProperty("errors");
    }

    /// <summary>The fields a problem's <c>errors</c> names.</summary>
    public static string[] Keys(JsonElement errors) => [.. errors.EnumerateObject().Select(p => p.Name)];
}
