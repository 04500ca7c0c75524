using SlaGrains.Server.Hosting;

var app = SlaGrainsServer.Build(args);
await app.RunAsync();

/// <summary>The server's entry point (public so that tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>).</summary>
public partial class Program;
