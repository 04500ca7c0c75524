using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using SlaGrains.Storage;
using SlaGrains.Storage.CrashWriter;

// Usage: SlaGrains.Storage.CrashWriter --grains N [--Storage:Provider=sqlite|postgresql ...] [--Orleans:SiloPort=.. --Orleans:GatewayPort=..]
// Writes CrashState to N grains concurrently, forever, through the store the configuration selects, and
// prints "ack <grain> <counter>" after each write's Task completed (i.e. after commit). The crash-safety
// tests kill it with SIGKILL and check that every acknowledged write survived, untorn.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.ClearProviders();
builder.UseOrleans(silo => silo.UseSlaGrainsStorage(builder.Configuration));
using var host = builder.Build();
await host.StartAsync();

var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(SlaGrainsStorage.GrainStorageName);
var grains = int.Parse(builder.Configuration["grains"] ?? "8", System.Globalization.CultureInfo.InvariantCulture);
Console.WriteLine("ready");

await Task.WhenAll(Enumerable.Range(0, grains).Select(async g =>
{
    var key = $"crash-{g}";
    var id = GrainId.Create("crash", key);
    var state = new GrainState<CrashState>();
    await storage.ReadStateAsync("state", id, state);
    for (var counter = (state.State?.Counter ?? 0) + 1; ; counter++)
    {
        state.State = new CrashState { Counter = counter, Payload = CrashState.PayloadFor(key, counter) };
        await storage.WriteStateAsync("state", id, state);
        Console.WriteLine($"ack {key} {counter}");
    }
}));
