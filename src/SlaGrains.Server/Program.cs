using SlaGrains.Server.Hosting;

if (args.Length > 0 && args[0] == RebuildReadModels.Verb)
{
    return await RebuildReadModels.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == ResetPassword.Verb)
{
    return await ResetPassword.RunAsync(args[1..]);
}

var app = SlaGrainsServer.Build(args);
await app.RunAsync();
return 0;

/// <summary>The server's entry point (public so that tests can host it with <c>WebApplicationFactory&lt;Program&gt;</c>).</summary>
public partial class Program;
